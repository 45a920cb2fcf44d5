// Identifiers shared by the block builders and the handlers that receive their interactions.
// Changing one is a breaking change for messages already posted in Slack.

export const ACTION = {
  requestHelp: 'request_help',
  feedback: 'answer_feedback',
  triageClaim: 'triage_claim',
  triageAssign: 'triage_assign',
  triagePriority: 'triage_priority',
  triageStatus: 'triage_status',
  triageReply: 'triage_reply',
  triageNote: 'triage_note',
  triageResolve: 'triage_resolve',
  triageReopen: 'triage_reopen',
} as const;

export const VIEW = {
  escalation: 'escalation_form',
  feedbackReason: 'feedback_reason',
  triageReply: 'triage_reply_form',
  triageNote: 'triage_note_form',
} as const;

/** Block ids of the escalation form's inputs; validation errors are keyed by these. */
export const FIELD = {
  summary: 'summary',
  details: 'details',
  category: 'category',
  orgType: 'org_type',
  orgName: 'org_name',
  priority: 'urgency',
  deadline: 'deadline',
  consent: 'consent',
  reason: 'reason',
  text: 'text',
} as const;

/** The triage message's action rows carry the ticket id in their block id. */
export const TRIAGE_BLOCK_PREFIX = 'ticket_';

export function triageBlockId(row: 'a' | 'b', ticketId: number): string {
  return `${TRIAGE_BLOCK_PREFIX}${row}_${ticketId}`;
}

export function ticketIdFromBlockId(blockId: string | undefined): number | undefined {
  const m = /^ticket_[ab]_(\d+)$/.exec(blockId ?? '');
  return m ? Number(m[1]) : undefined;
}
