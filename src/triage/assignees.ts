// Everyone who holds a ticket, for the assignee filter. A read of the tickets table: the service
// has no such list, and this needs nothing else from it.
import type { TicketService } from '../queue/index.js';

export async function listAssignees(tickets: TicketService, selected: string): Promise<Array<{ id: string; name: string }>> {
  const rows = await tickets.db
    .selectFrom('tickets')
    .select(['assignee_id', 'assignee_json'])
    .distinct()
    .where('assignee_id', 'is not', null)
    .limit(500)
    .execute();
  const byId = new Map<string, string>();
  for (const r of rows) {
    if (!r.assignee_id || byId.has(r.assignee_id)) continue;
    let name = r.assignee_id;
    try {
      const a = JSON.parse(r.assignee_json ?? 'null') as { name?: unknown } | null;
      if (a && typeof a.name === 'string' && a.name) name = a.name;
    } catch {
      // A malformed row still lists its id.
    }
    byId.set(r.assignee_id, name);
  }
  if (selected && selected !== 'me' && selected !== 'none' && !byId.has(selected)) byId.set(selected, selected);
  return [...byId].map(([id, name]) => ({ id, name })).sort((a, b) => a.name.localeCompare(b.name));
}
