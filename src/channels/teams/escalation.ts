// Escalation in Teams: "Request hands-on help" posts the form; a valid submission becomes a ticket
// through the support-queue service and the form is replaced, for everyone, by a confirmation with
// the reference. A failed save says so plainly; it is never reported as sent.
import type { TurnContext } from 'botbuilder';
import type { Turn } from '../../core/types.js';
import type { CreateResult, NewTicketInput } from '../../queue/types.js';
import { InputError } from '../../shared/errors.js';
import { attachment } from './card-kit.js';
import { conversationReference, errorFields, userOf, type TeamsContext } from './context.js';
import { decodeContext, type EscalationContext } from './escalation-context.js';
import { confirmationCard, escalationFormCard, parseSubmission, type EscalationSubmission } from './escalation-form.js';
import { cardBody, type CardActionBody } from './invoke-response.js';

/** Posts the form in the conversation, prefilled from `context` (or from the recent conversation). */
export async function postEscalationForm(t: TeamsContext, ctx: TurnContext, context: EscalationContext): Promise<void> {
  const recent = t.memory.get(ctx.activity.conversation.id);
  const lastQuestion = [...(recent?.turns ?? [])].reverse().find((turn) => turn.role === 'user')?.text;
  const filled: EscalationContext = {
    question: context.question ?? lastQuestion,
    answer: context.answer ?? [...(recent?.turns ?? [])].reverse().find((turn) => turn.role === 'assistant')?.text,
    category: context.category ?? recent?.category,
    sources: context.sources ?? recent?.citations,
  };
  // Whatever prefills the form goes back through the guard: card data comes from the client.
  if (filled.question) filled.question = t.deps.redact(filled.question).text;
  await ctx.sendActivity({ type: 'message', attachments: [attachment(escalationFormCard({ context: filled }))] });
}

/** Handles the form's submit action; answers with the card that should now stand in its place. */
export async function submitEscalation(t: TeamsContext, ctx: TurnContext, data: Record<string, unknown>): Promise<CardActionBody> {
  const context = decodeContext(data);
  const parsed = parseSubmission(data);
  if (!parsed.ok) return cardBody(escalationFormCard({ context, values: data, errors: parsed.errors }));

  let result: CreateResult;
  try {
    result = await createTicket(t, ctx, parsed.value, context);
  } catch (err) {
    if (err instanceof InputError) {
      return cardBody(escalationFormCard({ context, values: data, problem: `Your request could not be saved: ${err.message}` }));
    }
    t.logger.error('could not save a teams escalation', errorFields(err));
    return cardBody(escalationFormCard({ context, values: data, problem: 'Your request could not be saved just now, so it has not been sent. Please try again in a minute.' }));
  }

  const confirmation = confirmationCard(result);
  const formId = ctx.activity.replyToId;
  if (formId) {
    // Replace the form in the conversation itself, so nobody submits it twice.
    await ctx
      .updateActivity({ type: 'message', id: formId, conversation: ctx.activity.conversation, attachments: [attachment(confirmation)] })
      .catch((err: unknown) => t.logger.warn('could not replace the teams escalation form', errorFields(err)));
  }
  return cardBody(confirmation);
}

async function createTicket(t: TeamsContext, ctx: TurnContext, form: EscalationSubmission, context: EscalationContext): Promise<CreateResult> {
  const { deps } = t;
  const user = userOf(ctx.activity);
  const redact = (s: string) => deps.redact(s).text;
  const conversation: Turn[] = form.consentToShare
    ? [
        ...(context.question ? [{ role: 'user' as const, text: redact(context.question) }] : []),
        ...(context.answer ? [{ role: 'assistant' as const, text: redact(context.answer) }] : []),
      ]
    : [];
  const input: NewTicketInput = {
    requester: {
      platform: 'teams',
      userId: user.id,
      ...(user.name ? { displayName: user.name } : {}),
      conversation: conversationReference(ctx.activity) as Record<string, unknown>,
    },
    orgType: form.orgType,
    orgName: redact(form.orgName),
    category: form.category,
    priority: form.priority,
    deadline: form.deadline,
    summary: redact(form.summary),
    details: redact(form.details),
    conversation,
    citations: context.sources ?? [],
    consentToShare: form.consentToShare,
  };
  const result = await deps.tickets.create(input, { id: user.id, ...(user.name ? { name: user.name } : {}), via: 'teams' });
  deps.metrics.tickets.inc({ event: result.kind === 'created' ? 'created' : 'linked_duplicate' });
  t.logger.info('teams escalation saved', { reference: result.ticket.reference, kind: result.kind, consent: form.consentToShare });
  return result;
}
