// The "Request hands-on help" form as an Adaptive Card (the same fields as the Slack modal), its
// validation, and the confirmation card that replaces it once the ticket exists.
import { CATEGORIES, CATEGORY_LABELS, ORG_TYPES, ORG_TYPE_LABELS, PRIORITIES, type Category, type OrgType, type Priority } from '../../queue/types.js';
import type { CreateResult } from '../../queue/types.js';
import { card, choices, execute, facts, heading, note, text, VERB, type AdaptiveCard, type CardElement } from './card-kit.js';
import { encodeContext, type EscalationContext } from './escalation-context.js';

export const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low: no deadline',
  normal: 'Normal',
  high: 'High: needed within days',
  urgent: 'Urgent: a decision is imminent',
};

export const FIELD = {
  summary: 'summary',
  category: 'category',
  orgType: 'orgType',
  orgName: 'orgName',
  priority: 'priority',
  deadline: 'deadline',
  details: 'details',
  consent: 'consent',
} as const;
type Field = (typeof FIELD)[keyof typeof FIELD];

export type { EscalationSubmission } from '../../queue/types.js';
import type { EscalationSubmission } from '../../queue/types.js';

export type ParsedSubmission = { ok: true; value: EscalationSubmission } | { ok: false; errors: Partial<Record<Field, string>> };

export interface FormOptions {
  context: EscalationContext;
  /** Values to show again (a rejected submission keeps what the person typed). */
  values?: Record<string, unknown>;
  errors?: Partial<Record<Field, string>>;
  /** A message above the form, e.g. that saving failed. */
  problem?: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');

export function escalationFormCard(options: FormOptions): AdaptiveCard {
  const { context, errors = {} } = options;
  const values = options.values ?? {};
  const value = (field: Field, fallback = '') => (field in values ? str(values[field]) : fallback);
  const fieldError = (field: Field): CardElement[] => (errors[field] ? [note(errors[field]!, 'Attention')] : []);
  const problems = Object.keys(errors).length;

  const body: CardElement[] = [
    heading('Request hands-on help'),
    note('The support team (commercial, legal and IP advice for NHS data partnerships) will reply in this conversation. Please do not include patient-identifiable information.'),
    ...(options.problem ? [text(options.problem, { color: 'Attention', weight: 'Bolder' })] : []),
    ...(problems > 0 ? [text(problems === 1 ? 'Please fix the field marked below.' : `Please fix the ${problems} fields marked below.`, { color: 'Attention', weight: 'Bolder' })] : []),
    {
      type: 'Input.Text',
      id: FIELD.summary,
      label: 'What do you need help with?',
      isMultiline: true,
      isRequired: true,
      maxLength: 2000,
      errorMessage: 'Please describe what you need help with.',
      placeholder: 'e.g. We need someone to review the IP terms in a data-sharing agreement with a trust',
      value: value(FIELD.summary, context.question ?? ''),
    },
    ...fieldError(FIELD.summary),
    {
      type: 'Input.ChoiceSet',
      id: FIELD.category,
      label: 'Category',
      isRequired: true,
      errorMessage: 'Choose the category that fits best.',
      choices: choices(CATEGORIES.map((c) => [c, CATEGORY_LABELS[c]])),
      value: value(FIELD.category, context.category ?? ''),
    },
    ...fieldError(FIELD.category),
    {
      type: 'Input.ChoiceSet',
      id: FIELD.orgType,
      label: 'Your organisation type',
      isRequired: true,
      errorMessage: 'Choose your type of organisation.',
      choices: choices(ORG_TYPES.map((o) => [o, ORG_TYPE_LABELS[o]])),
      value: value(FIELD.orgType),
    },
    ...fieldError(FIELD.orgType),
    { type: 'Input.Text', id: FIELD.orgName, label: 'Organisation name', isRequired: true, maxLength: 200, errorMessage: 'Tell us the name of your organisation.', value: value(FIELD.orgName) },
    ...fieldError(FIELD.orgName),
    {
      type: 'Input.ChoiceSet',
      id: FIELD.priority,
      label: 'Urgency',
      isRequired: true,
      choices: choices(PRIORITIES.map((p) => [p, PRIORITY_LABELS[p]])),
      value: value(FIELD.priority, 'normal'),
    },
    ...fieldError(FIELD.priority),
    { type: 'Input.Date', id: FIELD.deadline, label: 'Deadline, if any', value: value(FIELD.deadline) },
    ...fieldError(FIELD.deadline),
    { type: 'Input.Text', id: FIELD.details, label: 'Anything else the team should know?', isMultiline: true, maxLength: 3000, value: value(FIELD.details) },
    ...fieldError(FIELD.details),
    {
      type: 'Input.Toggle',
      id: FIELD.consent,
      title: 'Share this conversation with the support team (patient-identifiable information is removed first)',
      valueOn: 'true',
      valueOff: 'false',
      value: value(FIELD.consent, 'false') === 'true' ? 'true' : 'false',
      wrap: true,
    },
  ];
  return card(body, {
    actions: [execute('Send request', VERB.submitEscalation, encodeContext(context), { style: 'positive', associatedInputs: 'auto' })],
  });
}

/** Validates the card's inputs as Teams sends them (merged into the action data, all strings). */
export function parseSubmission(data: Record<string, unknown>, today: Date = new Date()): ParsedSubmission {
  const errors: Partial<Record<Field, string>> = {};
  const summary = str(data[FIELD.summary]).trim();
  if (summary.length < 10) errors.summary = 'Please describe what you need help with, in a sentence or two.';
  else if (summary.length > 2000) errors.summary = 'Please keep this under 2,000 characters; add more under “Anything else”.';

  const category = str(data[FIELD.category]) as Category;
  if (!CATEGORIES.includes(category)) errors.category = 'Choose the category that fits best (or “Other”).';

  const orgType = str(data[FIELD.orgType]) as OrgType;
  if (!ORG_TYPES.includes(orgType)) errors.orgType = 'Choose your type of organisation.';

  const orgName = str(data[FIELD.orgName]).trim();
  if (!orgName) errors.orgName = 'Tell us the name of your organisation.';
  else if (orgName.length > 200) errors.orgName = 'Please keep the organisation name under 200 characters.';

  const priorityValue = str(data[FIELD.priority]) as Priority;
  const priority: Priority = PRIORITIES.includes(priorityValue) ? priorityValue : 'normal';

  const deadlineValue = str(data[FIELD.deadline]).trim();
  const deadline = deadlineValue || null;
  if (deadline) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline) || Number.isNaN(Date.parse(deadline))) errors.deadline = 'Pick a date from the calendar.';
    else if (deadline < today.toISOString().slice(0, 10)) errors.deadline = 'The deadline can’t be in the past.';
  }

  const details = str(data[FIELD.details]).trim();
  if (details.length > 3000) errors.details = 'Please keep this under 3,000 characters.';
  const consentToShare = str(data[FIELD.consent]) === 'true';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { summary, details, category, orgType, orgName, priority, deadline, consentToShare } };
}

/** Replaces the form once the ticket exists; the reference is what the requester needs to keep. */
export function confirmationCard(result: CreateResult): AdaptiveCard {
  const t = result.ticket;
  const linked = result.kind === 'linked_duplicate';
  const due = new Date(t.slaDueAt);
  return card([
    heading(linked ? `Added to your request ${t.reference}` : `Request ${t.reference} sent`),
    text(
      linked
        ? `This looks like your earlier request **${t.reference}**, so your new details were added to it. The support team will reply in this conversation.`
        : `Thanks, your request **${t.reference}** is with the support team. They will reply in this conversation, and I’ll tell you when its status changes.`,
    ),
    facts([
      ['Reference', t.reference],
      ['Category', CATEGORY_LABELS[t.category]],
      ['Urgency', PRIORITY_LABELS[t.priority]],
      ['Deadline', t.deadline],
      ['First response due', Number.isNaN(due.getTime()) ? null : due.toLocaleDateString('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/London' })],
    ]),
    note('Type “my requests” to see the status of your requests.'),
  ]);
}
