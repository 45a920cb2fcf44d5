// The "Request hands-on help" modal: built prefilled from the conversation, and its submission
// read and validated. Errors are keyed by block id so Slack shows them under the right field.
import type { types } from '@slack/bolt';
import {
  CATEGORIES,
  CATEGORY_LABELS,
  ORG_TYPES,
  ORG_TYPE_LABELS,
  PRIORITIES,
  type Category,
  type OrgType,
  type Priority,
} from '../../queue/types.js';
import { encodeFormMetadata, type EscalationContext } from './escalation-context.js';
import { FIELD, VIEW } from './ids.js';

export type ModalView = types.ModalView;

const PRIORITY_LABELS: Record<Priority, string> = {
  low: 'Low: no deadline',
  normal: 'Normal',
  high: 'High: needed within days',
  urgent: 'Urgent: a decision is imminent',
};

const option = (value: string, label: string): types.PlainTextOption => ({ text: { type: 'plain_text', text: label.slice(0, 75) }, value });

export function escalationView(ctx: EscalationContext): ModalView {
  const categoryOptions = CATEGORIES.map((c) => option(c, CATEGORY_LABELS[c]));
  const initialCategory = ctx.category ? categoryOptions.find((o) => o.value === ctx.category) : undefined;
  const priorityOptions = PRIORITIES.map((p) => option(p, PRIORITY_LABELS[p]));
  return {
    type: 'modal',
    callback_id: VIEW.escalation,
    private_metadata: encodeFormMetadata(ctx),
    title: { type: 'plain_text', text: 'Request hands-on help' },
    submit: { type: 'plain_text', text: 'Send request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks: [
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'The support team (commercial, legal and IP advice for NHS data partnerships) will reply in this conversation. Please do not include patient-identifiable information.' }],
      },
      {
        type: 'input',
        block_id: FIELD.summary,
        label: { type: 'plain_text', text: 'What do you need help with?' },
        element: {
          type: 'plain_text_input',
          action_id: 'value',
          multiline: true,
          max_length: 2000,
          ...(ctx.question ? { initial_value: ctx.question.slice(0, 2000) } : {}),
          placeholder: { type: 'plain_text', text: 'e.g. We need someone to review the IP terms in a data-sharing agreement with a trust' },
        },
      },
      {
        type: 'input',
        block_id: FIELD.category,
        label: { type: 'plain_text', text: 'Category' },
        element: { type: 'static_select', action_id: 'value', options: categoryOptions, ...(initialCategory ? { initial_option: initialCategory } : {}) },
      },
      {
        type: 'input',
        block_id: FIELD.orgType,
        label: { type: 'plain_text', text: 'Your organisation type' },
        element: { type: 'static_select', action_id: 'value', options: ORG_TYPES.map((o) => option(o, ORG_TYPE_LABELS[o])) },
      },
      {
        type: 'input',
        block_id: FIELD.orgName,
        label: { type: 'plain_text', text: 'Organisation name' },
        element: { type: 'plain_text_input', action_id: 'value', max_length: 200 },
      },
      {
        type: 'input',
        block_id: FIELD.priority,
        label: { type: 'plain_text', text: 'Urgency' },
        element: { type: 'static_select', action_id: 'value', options: priorityOptions, initial_option: priorityOptions[1]! },
      },
      {
        type: 'input',
        block_id: FIELD.deadline,
        optional: true,
        label: { type: 'plain_text', text: 'Deadline, if any' },
        element: { type: 'datepicker', action_id: 'value' },
      },
      {
        type: 'input',
        block_id: FIELD.details,
        optional: true,
        label: { type: 'plain_text', text: 'Anything else the team should know?' },
        element: { type: 'plain_text_input', action_id: 'value', multiline: true, max_length: 3000 },
      },
      {
        type: 'input',
        block_id: FIELD.consent,
        optional: true,
        label: { type: 'plain_text', text: 'Conversation' },
        element: {
          type: 'checkboxes',
          action_id: 'value',
          options: [
            {
              text: { type: 'plain_text', text: 'Share this conversation with the support team' },
              description: { type: 'plain_text', text: 'Patient-identifiable information is removed first.' },
              value: 'share',
            },
          ],
        },
      },
    ],
  };
}

export type { EscalationSubmission } from '../../queue/types.js';
import type { EscalationSubmission } from '../../queue/types.js';

export type ParsedSubmission = { ok: true; value: EscalationSubmission } | { ok: false; errors: Record<string, string> };

/** The state Slack sends with view_submission: values[block_id][action_id]. */
export type ViewStateValues = Record<string, Record<string, ViewStateValue | undefined> | undefined>;
interface ViewStateValue {
  value?: string | null;
  selected_option?: { value?: string } | null;
  selected_options?: Array<{ value?: string }> | null;
  selected_date?: string | null;
  selected_user?: string | null;
}

const field = (values: ViewStateValues, block: string): ViewStateValue | undefined => values[block]?.['value'];

export function parseEscalation(values: ViewStateValues, today: Date = new Date()): ParsedSubmission {
  const errors: Record<string, string> = {};
  const summary = (field(values, FIELD.summary)?.value ?? '').trim();
  if (summary.length < 10) errors[FIELD.summary] = 'Please describe what you need help with, in a sentence or two.';
  else if (summary.length > 2000) errors[FIELD.summary] = 'Please keep this under 2,000 characters; add more under “Anything else”.';

  const category = field(values, FIELD.category)?.selected_option?.value as Category | undefined;
  if (!category || !CATEGORIES.includes(category)) errors[FIELD.category] = 'Choose the category that fits best (or “Other”).';

  const orgType = field(values, FIELD.orgType)?.selected_option?.value as OrgType | undefined;
  if (!orgType || !ORG_TYPES.includes(orgType)) errors[FIELD.orgType] = 'Choose your type of organisation.';

  const orgName = (field(values, FIELD.orgName)?.value ?? '').trim();
  if (!orgName) errors[FIELD.orgName] = 'Tell us the name of your organisation.';
  else if (orgName.length > 200) errors[FIELD.orgName] = 'Please keep the organisation name under 200 characters.';

  const priorityValue = field(values, FIELD.priority)?.selected_option?.value as Priority | undefined;
  const priority: Priority = priorityValue && PRIORITIES.includes(priorityValue) ? priorityValue : 'normal';

  const deadline = field(values, FIELD.deadline)?.selected_date ?? null;
  if (deadline) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(deadline) || Number.isNaN(Date.parse(deadline))) errors[FIELD.deadline] = 'Pick a date from the calendar.';
    else if (deadline < today.toISOString().slice(0, 10)) errors[FIELD.deadline] = 'The deadline can’t be in the past.';
  }

  const details = (field(values, FIELD.details)?.value ?? '').trim();
  const consentToShare = (field(values, FIELD.consent)?.selected_options ?? []).some((o) => o.value === 'share');

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value: { summary, details, category: category!, orgType: orgType!, orgName, priority, deadline, consentToShare } };
}

/** Shown in place of the form once the ticket exists. */
export function confirmationView(reference: string, linked: boolean): ModalView {
  const text = linked
    ? `This looks like your earlier request *${reference}*, so your new details were added to it. The support team will reply in the conversation.`
    : `Your request *${reference}* is with the support team. They will reply in the conversation where you asked, and you’ll hear about every status change.`;
  return {
    type: 'modal',
    callback_id: `${VIEW.escalation}_done`,
    title: { type: 'plain_text', text: 'Request sent' },
    close: { type: 'plain_text', text: 'Done' },
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }],
  };
}
