// The triage channel's message for one ticket: what it is, who asked, where it stands, and the
// actions the support team can take. Rebuilt from the ticket after every change (chat.update).
import { ORG_TYPE_LABELS, CATEGORY_LABELS, PRIORITIES, STATUS_LABELS, type Priority, type Ticket } from '../../queue/types.js';
import { TRANSITIONS, isSlaBreached } from '../../queue/index.js';
import type { types } from '@slack/bolt';
import type { Block, SlackMessage } from './answer-blocks.js';
import { ACTION, triageBlockId } from './ids.js';
import { escapeMrkdwn, truncate } from './mrkdwn.js';

const PRIORITY_LABELS: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: ':large_orange_circle: High', urgent: ':red_circle: Urgent' };

const option = (value: string, label: string): types.PlainTextOption => ({ text: { type: 'plain_text', text: label }, value });

/** A Slack date token that each reader sees in their own time zone, with a readable fallback. */
export function slackDate(iso: string): string {
  const seconds = Math.floor(Date.parse(iso) / 1000);
  if (!Number.isFinite(seconds)) return escapeMrkdwn(iso);
  const fallback = new Date(seconds * 1000).toUTCString().replace(/:\d{2} GMT$/, ' UTC');
  return `<!date^${seconds}^{date_short_pretty} {time}|${fallback}>`;
}

export function requesterLabel(ticket: Ticket): string {
  const who = ticket.requester.platform === 'slack' ? `<@${ticket.requester.userId}>` : escapeMrkdwn(ticket.requester.displayName ?? ticket.requester.userId);
  const via = ticket.requester.platform === 'slack' ? '' : ` (${ticket.requester.platform})`;
  return `${who}${via}, ${escapeMrkdwn(ticket.orgName || 'organisation not given')} (${ORG_TYPE_LABELS[ticket.orgType]})`;
}

export function triageMessage(ticket: Ticket, now: Date = new Date()): SlackMessage {
  const breached = isSlaBreached(ticket, now);
  const assignee = ticket.assignee ? (ticket.assignee.via === 'slack' ? `<@${ticket.assignee.id}>` : escapeMrkdwn(ticket.assignee.name ?? ticket.assignee.id)) : '_Unassigned_';
  const fields: Array<[string, string]> = [
    ['Requester', requesterLabel(ticket)],
    ['Category', CATEGORY_LABELS[ticket.category]],
    ['Priority', PRIORITY_LABELS[ticket.priority]],
    ['Status', STATUS_LABELS[ticket.status]],
    ['Assignee', assignee],
    ['First response due', `${slackDate(ticket.slaDueAt)}${breached ? ' :warning: *overdue*' : ticket.firstResponseAt ? ' (responded)' : ''}`],
  ];
  if (ticket.deadline) fields.push(['Requester’s deadline', escapeMrkdwn(ticket.deadline)]);
  fields.push(['Conversation shared', ticket.conversation.length > 0 ? `Yes (${ticket.conversation.length} messages)` : 'No']);

  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(`${ticket.reference}: ${CATEGORY_LABELS[ticket.category]}`, 150) } },
    { type: 'section', text: { type: 'mrkdwn', text: truncate(`*Summary*\n${escapeMrkdwn(ticket.summary)}`, 2900) } },
    { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn' as const, text: truncate(`*${k}*\n${v}`, 1900) })) },
  ];
  if (ticket.details) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: truncate(`*Details*\n${escapeMrkdwn(ticket.details)}`, 2900) } });
  if (ticket.linkedTo) blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Follows an earlier request (#${ticket.linkedTo}).` }] });
  blocks.push(...triageActions(ticket));
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Opened ${slackDate(ticket.createdAt)} · updated ${slackDate(ticket.updatedAt)}` }] });

  const text = `${ticket.reference} (${STATUS_LABELS[ticket.status]}): ${truncate(ticket.summary, 200)}`;
  return { text, blocks };
}

function triageActions(ticket: Ticket): Block[] {
  const closedOrResolved = ticket.status === 'resolved' || ticket.status === 'closed';
  const first: types.ActionsBlockElement[] = [];
  if (!ticket.assignee && !closedOrResolved) {
    first.push({ type: 'button', action_id: ACTION.triageClaim, text: { type: 'plain_text', text: 'Claim' }, style: 'primary', value: String(ticket.id) });
  }
  if (ticket.status !== 'closed') {
    first.push({
      type: 'users_select',
      action_id: ACTION.triageAssign,
      placeholder: { type: 'plain_text', text: 'Assign to…' },
      ...(ticket.assignee?.via === 'slack' ? { initial_user: ticket.assignee.id } : {}),
    });
  }
  const priorities = PRIORITIES.map((p) => option(p, `Priority: ${p}`));
  first.push({
    type: 'static_select',
    action_id: ACTION.triagePriority,
    placeholder: { type: 'plain_text', text: 'Priority' },
    options: priorities,
    initial_option: priorities.find((o) => o.value === ticket.priority)!,
  });

  const second: types.ActionsBlockElement[] = [];
  const next = TRANSITIONS[ticket.status];
  if (next.length > 0) {
    second.push({
      type: 'static_select',
      action_id: ACTION.triageStatus,
      placeholder: { type: 'plain_text', text: 'Change status…' },
      options: next.map((s) => option(s, STATUS_LABELS[s])),
    });
  }
  if (ticket.status !== 'closed') {
    second.push({ type: 'button', action_id: ACTION.triageReply, text: { type: 'plain_text', text: 'Reply to requester' }, value: String(ticket.id) });
  }
  second.push({ type: 'button', action_id: ACTION.triageNote, text: { type: 'plain_text', text: 'Add internal note' }, value: String(ticket.id) });
  if (next.includes('resolved')) {
    second.push({ type: 'button', action_id: ACTION.triageResolve, text: { type: 'plain_text', text: 'Resolve' }, value: String(ticket.id) });
  }
  if (closedOrResolved) {
    second.push({ type: 'button', action_id: ACTION.triageReopen, text: { type: 'plain_text', text: 'Reopen' }, value: String(ticket.id) });
  }
  return [
    { type: 'actions', block_id: triageBlockId('a', ticket.id), elements: first },
    { type: 'actions', block_id: triageBlockId('b', ticket.id), elements: second },
  ];
}

/** The short line threaded under the triage message for each change. */
export function triageLogLine(payload: Record<string, unknown>): string {
  const line = typeof payload.line === 'string' ? payload.line : 'Updated';
  return `:memo: ${escapeMrkdwn(line)}`;
}
