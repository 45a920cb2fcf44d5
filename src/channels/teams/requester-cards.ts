// What the requester sees about their own tickets: "my requests", and the support team's replies
// (with a way to answer back, which reaches the ticket as the requester's message).
import { CATEGORY_LABELS, STATUS_LABELS, type Ticket } from '../../queue/types.js';
import { card, clip, execute, facts, heading, note, plain, showCard, text, VERB, type AdaptiveCard } from './card-kit.js';

export const PRIVATE_REQUESTS = 'To keep your requests private, ask me “my requests” in a one-to-one chat with me.';

export function myRequestsCard(tickets: Ticket[]): AdaptiveCard {
  if (tickets.length === 0) {
    return card([heading('Your requests'), text('You have not sent any requests for hands-on help from Teams yet. Type “request help” to send one.')]);
  }
  const shown = tickets.slice(0, 10);
  return card([
    heading('Your requests'),
    facts(
      shown.map((t) => [
        t.reference,
        `${STATUS_LABELS[t.status]} · ${CATEGORY_LABELS[t.category]} · ${new Date(t.createdAt).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' })}`,
      ]),
    ),
    ...(tickets.length > shown.length ? [note(`Showing the latest ${shown.length} of ${tickets.length}.`)] : []),
  ]);
}

export function supportReplyCard(ticket: Ticket, reply: { text: string; author?: string }): AdaptiveCard {
  return card(
    [
      heading(`Reply from the support team about ${ticket.reference}`),
      ...(reply.author ? [note(reply.author)] : []),
      text(plain(clip(reply.text, 8000))),
    ],
    {
      actions: [
        showCard(
          'Reply',
          [{ type: 'Input.Text', id: 'text', label: 'Your reply to the support team', isMultiline: true, isRequired: true, maxLength: 4000, errorMessage: 'Write something first.' }],
          execute('Send', VERB.requesterReply, { ticketId: ticket.id }),
        ),
      ],
    },
  );
}
