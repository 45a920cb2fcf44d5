// Public API of the patient-data guard. Callers redact before anything leaves the message:
// language model prompts, the index, log lines, tickets, analytics and notifications.

export { detectPii } from './pii-detector.js';
export { redactPii, redactDeep, piiNotice, PII_NOTICE, type Redaction, type DeepRedaction } from './redact.js';
export { isValidNhsNumber, nhsCheckDigit } from './nhs-number.js';
export {
  PII_KINDS,
  PII_KIND_LABELS,
  PII_PLACEHOLDERS,
  type PiiKind,
  type PiiFinding,
  type PiiContext,
  type PiiOptions,
} from './pii-types.js';
