// The assistant's fixed replies: kind, short, and always pointing to a next step.

export const HANDS_ON_HINT = 'Use “Request hands-on help” to send this to the support team.';

export function smalltalkText(message: string): string {
  if (/^(?:thanks?|thank you|cheers|ta)\b/i.test(message.trim())) {
    return 'You’re welcome. Ask me anything else about NHS–industry partnerships, or use “Request hands-on help” if you need an expert.';
  }
  if (/^(?:bye|goodbye)\b/i.test(message.trim())) return 'Goodbye, and good luck with the partnership.';
  return [
    'Hello, I’m Partnership Navigator. I answer questions about NHS–industry partnerships from published guidance, and cite my sources. For example:',
    '- DHSC’s five guiding principles for data partnerships, fair terms and value sharing',
    '- information governance: lawful basis, DPIA, national data opt-out, section 251, DSPT, secure data environments',
    '- regulation and assurance: UKCA, DCB0129/DCB0160, DTAC, NICE evidence standards, HRA approval',
    '- funding, procurement routes and case studies such as Royal Free and DeepMind',
    'If you need hands-on help, such as reviewing a contract, valuing data or negotiating terms, I can pass your request to the support team.',
  ].join('\n');
}

export function outOfScopeText(clinical: boolean): string {
  if (clinical) {
    return 'I can’t help with clinical or medical advice. I only cover NHS–industry partnerships (data partnerships, governance, regulation, commercial terms). For medical help, please use the usual clinical routes, such as your GP or NHS 111.';
  }
  return 'That’s outside what I cover. I answer questions about NHS–industry partnerships: data partnerships and DHSC’s principles, information governance, regulation of health technology, commercial terms, funding, procurement and case studies.';
}

export function abstentionText(): string {
  return `I couldn’t find guidance on that in my knowledge base, so I won’t guess. Try rephrasing, or ask the support team: ${HANDS_ON_HINT}`;
}

export function escalationText(categoryLabel: string, hasRelated: boolean): string {
  return [
    `This sounds like a request for hands-on help (${categoryLabel.toLowerCase()}), which is what the support team is for. ${HANDS_ON_HINT} The form is prefilled from this conversation and you can edit it before sending.`,
    hasRelated ? 'Meanwhile, the guidance below may help you prepare.' : '',
  ]
    .filter(Boolean)
    .join(' ');
}
