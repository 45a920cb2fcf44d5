// Service-level dates. Working days are Monday to Friday in UTC; bank holidays are not modelled,
// so a due time may fall on one (the team sees it in the dashboard and can re-prioritise).

const DAY_MS = 24 * 60 * 60 * 1000;

function isWeekend(d: Date): boolean {
  const day = d.getUTCDay();
  return day === 0 || day === 6;
}

/**
 * The instant `days` working days after `start`, keeping its time of day: Friday 16:00 + 2 is
 * Tuesday 16:00; a weekend start counts from Monday (Saturday 10:00 + 1 is Monday 10:00).
 */
export function addWorkingDays(start: Date, days: number): Date {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`working days must be a whole number ≥ 0, got ${days}`);
  let t = start.getTime();
  let added = 0;
  while (added < days) {
    t += DAY_MS;
    if (!isWeekend(new Date(t))) added += 1;
  }
  return new Date(t);
}

/** Past its first-response due time with no first response, and still open. */
export function isSlaBreached(
  ticket: { slaDueAt: string; firstResponseAt: string | null; status: string },
  now: Date,
): boolean {
  if (ticket.firstResponseAt !== null) return false;
  if (ticket.status === 'resolved' || ticket.status === 'closed') return false;
  return ticket.slaDueAt < now.toISOString();
}
