// The card shown on install and for "help": what the assistant does, how to ask, and a few
// questions to try (Action.Execute, so they work in channels too, where a typed message needs an @mention).
import { actionSet, attachment, card, execute, heading, note, text, VERB } from './card-kit.js';
import type { Attachment } from 'botbuilder';

export const SUGGESTED_QUESTIONS = [
  'What are the five guiding principles for NHS data partnerships?',
  'Do we need a DPIA before sharing data with a company?',
  'What is DTAC and who has to meet it?',
  'How should the value from a data partnership be shared with the NHS?',
];

export function welcomeCard(options: { notice?: string; inChannel?: boolean } = {}): Attachment {
  const how = options.inChannel ? '@mention me with your question' : 'send me your question';
  return attachment(
    card([
      ...(options.notice ? [note(options.notice, 'Warning')] : []),
      heading('Partnership Navigator', 'Large'),
      text(
        'I answer questions about partnerships between the NHS and industry (data partnerships, information governance, regulation, commercial terms, funding and procurement) from published guidance, and cite every source.',
      ),
      text(
        [
          `- **Ask**: ${how}, e.g. “ask what is a DPIA?”`,
          '- **Request help**: send your question to the support team for hands-on help (contracts, valuing data, IP, negotiating terms)',
          '- **My requests**: see the requests you have sent and their status',
          '- **Help**: show this card again',
        ].join('\n'),
      ),
      text('Try one of these:', { weight: 'Bolder', spacing: 'Medium' }),
      actionSet(SUGGESTED_QUESTIONS.slice(0, 2).map((q) => execute(q, VERB.ask, { question: q }))),
      actionSet(SUGGESTED_QUESTIONS.slice(2).map((q) => execute(q, VERB.ask, { question: q }))),
      note('Answers are general information, not legal advice. Please don’t share patient-identifiable information.'),
    ], {
      actions: [execute('Request hands-on help', VERB.requestHelp, {}), execute('My requests', VERB.myRequests, {})],
    }),
  );
}
