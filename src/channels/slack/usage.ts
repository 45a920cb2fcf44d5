// The help text, shared by `/navigator help`, an empty mention and the assistant's greeting.

export const USAGE = [
  '**Partnership Navigator** answers questions about NHS–industry partnerships from published guidance, with sources.',
  '',
  '- Mention me in a channel (`@Partnership Navigator what is a DPIA?`) and I reply in the thread; follow-ups in that thread need no mention.',
  '- Send me a direct message, or open me from the assistant panel.',
  '- `/navigator <question>` answers privately.',
  '- `/navigator request` opens a request for hands-on help from the support team.',
  '- `/navigator my-requests` lists your requests and their status.',
  '- `/navigator help` shows this message.',
  '',
  'Please do not share patient-identifiable information: I remove it before anything is stored.',
].join('\n');

export const SUGGESTED_PROMPTS = [
  { title: 'Five principles', message: 'What are DHSC’s five guiding principles for data partnerships?' },
  { title: 'Do we need a DPIA?', message: 'When does an NHS data partnership need a DPIA?' },
  { title: 'Selling to the NHS', message: 'What is DTAC and when does a digital health product need it?' },
  { title: 'Hands-on help', message: 'Can someone review the terms of our data-sharing agreement?' },
];

export const GREETING =
  'Hello, I’m Partnership Navigator. Ask me about data partnerships, information governance, regulation or commercial terms, and I’ll answer from published guidance with sources. Please don’t share patient-identifiable information.';
