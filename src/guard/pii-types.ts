// The vocabulary of patient-identifiable data: every detector, the redactor and the metrics
// speak in these kinds, so a new kind is one edit here and one detector.

export const PII_KINDS = [
  'nhs_number',
  'date_of_birth',
  'postcode',
  'phone',
  'email',
  'ni_number',
  'hospital_number',
  'patient_name',
] as const;
export type PiiKind = (typeof PII_KINDS)[number];

export interface PiiFinding {
  kind: PiiKind;
  /** UTF-16 offsets into the text: text.slice(start, end) === value. */
  start: number;
  end: number;
  value: string;
}

/**
 * `user`: a message a person typed, where anything that looks like an identifier is flagged.
 * `knowledge`: published guidance, where organisation addresses, service phone lines and
 * publication dates are expected and are not patient data.
 */
export type PiiContext = 'user' | 'knowledge';

export interface PiiOptions {
  context?: PiiContext;
}

/** The placeholder each finding is replaced with; none contains a digit or a cue word's shape. */
export const PII_PLACEHOLDERS: Record<PiiKind, string> = {
  nhs_number: '[NHS number]',
  date_of_birth: '[date of birth]',
  postcode: '[postcode]',
  phone: '[phone number]',
  email: '[email]',
  ni_number: '[NI number]',
  hospital_number: '[hospital number]',
  patient_name: '[patient name]',
};

/** Plain words for each kind, for the notice to the user and for AskMeta.redactedKinds. */
export const PII_KIND_LABELS: Record<PiiKind, string> = {
  nhs_number: 'NHS number',
  date_of_birth: 'date of birth',
  postcode: 'postcode',
  phone: 'phone number',
  email: 'email address',
  ni_number: 'National Insurance number',
  hospital_number: 'hospital number',
  patient_name: 'patient name',
};
