// The web chat as a channel. It has no push transport: the chat page polls GET /api/escalations
// and reads replies and statuses from the store, so a notification needs only acknowledging.
import type { Channel, ChannelDeps } from '../channels/channel.js';
import type { DeliveryHandler } from '../queue/index.js';

export function createWebChannel(deps: ChannelDeps): Channel {
  const deliver: DeliveryHandler = async (item) => {
    deps.logger.debug('web notification stored for polling', { outboxId: item.id, kind: item.kind, ticketId: item.ticketId });
    return { ok: true };
  };
  return { platform: 'web', routes: [], deliver };
}
