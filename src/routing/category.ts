// A first guess at the support-queue category from the words of a request; the requester and
// the support team can change it.
import type { Category } from '../queue/types.js';

const RULES: Array<[Category, RegExp]> = [
  ['ip', /\b(intellectual property|\bip\b|patent|foreground|background ip|own(s|ership)? (of )?the (algorithm|model|product|ip))/i],
  ['commercial', /\b(valu(e|ing|ation)|price|pricing|royalt|revenue|equity|fee|commercial|payment|worth|benefit shar|value shar)/i],
  ['legal', /\b(contract|agreement|clause|legal|lawyer|solicitor|terms|heads of terms|liabilit|indemnit)/i],
  ['ig_dpia', /\b(dpia|impact assessment|gdpr|lawful basis|information governance|\big\b|opt[- ]?out|confidential|caldicott|section 251|s251|dspt|privacy|anonymi|pseudonymi)/i],
  ['clinical_safety', /\b(clinical safety|dcb ?0129|dcb ?0160|hazard|safety case|clinical risk|cso\b)/i],
  ['regulation', /\b(ukca|ce mark|mhra|medical device|samd|regulat|dtac|nice|evidence standard|hra approval|iras)/i],
  ['public_engagement', /\b(public (engagement|trust)|transparen|patient involvement|ppie|communicat)/i],
  ['funding_procurement', /\b(fund|grant|sbri|i4i|biomedical catalyst|procure|tender|g-?cloud|framework|provider selection)/i],
];

export function suggestCategory(text: string): Category {
  for (const [category, pattern] of RULES) if (pattern.test(text)) return category;
  return 'other';
}
