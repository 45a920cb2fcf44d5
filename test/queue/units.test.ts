// Pure helpers of the queue: working days, references, similarity, transitions, HTTP outcomes.
import { describe, expect, it } from 'vitest';
import { outcomeFromHttp, parseRetryAfter } from '../../src/queue/outbox.js';
import { isLikelyDuplicate, jaccard, tokens } from '../../src/queue/similarity.js';
import { addWorkingDays, isSlaBreached } from '../../src/queue/sla.js';
import { formatReference, parseReference, ticketsToCsv } from '../../src/queue/ticket-rows.js';
import { canTransition, transitionMessage } from '../../src/queue/transitions.js';

describe('addWorkingDays (UTC, Mon–Fri)', () => {
  const cases: Array<[string, number, string]> = [
    ['2026-11-06T16:00:00.000Z', 2, '2026-11-10T16:00:00.000Z'], // Fri → Tue
    ['2026-11-06T16:00:00.000Z', 1, '2026-11-09T16:00:00.000Z'], // Fri → Mon
    ['2026-11-04T09:30:00.000Z', 2, '2026-11-06T09:30:00.000Z'], // Wed → Fri
    ['2026-11-05T23:59:59.000Z', 2, '2026-11-09T23:59:59.000Z'], // Thu → Mon
    ['2026-11-07T10:00:00.000Z', 1, '2026-11-09T10:00:00.000Z'], // Sat → Mon
    ['2026-11-08T10:00:00.000Z', 2, '2026-11-10T10:00:00.000Z'], // Sun → Tue
    ['2026-11-06T16:00:00.000Z', 5, '2026-11-13T16:00:00.000Z'], // a whole week
    ['2026-11-06T16:00:00.000Z', 10, '2026-11-20T16:00:00.000Z'],
    ['2026-11-06T16:00:00.000Z', 0, '2026-11-06T16:00:00.000Z'],
  ];
  it.each(cases)('%s + %i working days = %s', (start, days, expected) => {
    expect(addWorkingDays(new Date(start), days).toISOString()).toBe(expected);
  });
  it('refuses negative or fractional days', () => {
    expect(() => addWorkingDays(new Date(), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(new Date(), 1.5)).toThrow(RangeError);
  });
  it('counts a breach only for open, unanswered, overdue tickets', () => {
    const now = new Date('2026-11-10T12:00:00Z');
    const base = { slaDueAt: '2026-11-10T11:00:00.000Z', firstResponseAt: null, status: 'new' };
    expect(isSlaBreached(base, now)).toBe(true);
    expect(isSlaBreached({ ...base, firstResponseAt: '2026-11-09T00:00:00Z' }, now)).toBe(false);
    expect(isSlaBreached({ ...base, status: 'resolved' }, now)).toBe(false);
    expect(isSlaBreached({ ...base, slaDueAt: '2026-11-10T13:00:00.000Z' }, now)).toBe(false);
  });
});

describe('references', () => {
  it('pads to four digits and grows beyond', () => {
    expect(formatReference(1)).toBe('NAV-0001');
    expect(formatReference(42)).toBe('NAV-0042');
    expect(formatReference(12345)).toBe('NAV-12345');
  });
  it('parses the forms people type', () => {
    expect(parseReference('NAV-0042')).toBe(42);
    expect(parseReference(' nav-42 ')).toBe(42);
    expect(parseReference('42')).toBe(42);
    expect(parseReference('NAV-12345')).toBe(12345);
    expect(parseReference('NAV-0000')).toBeNull();
    expect(parseReference('ABC-1')).toBeNull();
    expect(parseReference('NAV-1; drop table')).toBeNull();
  });
});

describe('similarity', () => {
  it('ignores case, punctuation, stop words and plurals', () => {
    expect([...tokens('The DPIAs for our Remote-Monitoring pilot!')].sort()).toEqual(['dpia', 'monitoring', 'pilot', 'remote']);
  });
  it('scores overlap as Jaccard', () => {
    expect(jaccard(new Set(['a', 'b']), new Set(['b', 'c']))).toBeCloseTo(1 / 3);
  });
  it('treats a reworded request as a duplicate and a different one as new', () => {
    const a = { text: 'Help negotiating value share terms for a data partnership with an imaging company', category: 'commercial' };
    expect(isLikelyDuplicate(a, { text: 'Need help negotiating the value share terms of our imaging data partnership', category: 'commercial' })).toBe(true);
    expect(isLikelyDuplicate(a, { text: 'Is a DPIA needed for remote monitoring?', category: 'commercial' })).toBe(false);
    // Same words in another category need the higher bar.
    const b = { text: 'value share terms imaging partnership contract review draft', category: 'legal' };
    const c = { text: 'value share terms imaging partnership company board approval', category: 'commercial' };
    expect(jaccard(tokens(b.text), tokens(c.text))).toBeGreaterThanOrEqual(0.45);
    expect(isLikelyDuplicate(b, c)).toBe(false);
    expect(isLikelyDuplicate(b, { ...c, category: 'legal' })).toBe(true);
  });
});

describe('transitions', () => {
  it('explains a refusal with both states and the way out', () => {
    expect(canTransition('closed', 'in_progress')).toBe(false);
    expect(transitionMessage('NAV-0007', 'closed', 'in_progress')).toMatch(/NAV-0007 cannot move from closed .* to in_progress .*reopen it first/);
    expect(transitionMessage('NAV-0007', 'new', 'closed')).toContain('triaged, in_progress, resolved');
  });
});

describe('HTTP delivery outcomes', () => {
  it('maps statuses and Retry-After', () => {
    expect(outcomeFromHttp(200)).toEqual({ ok: true });
    expect(outcomeFromHttp(429, '7')).toEqual({ ok: false, retryable: true, error: 'HTTP 429', retryAfterMs: 7000 });
    expect(outcomeFromHttp(503, null, 'busy')).toEqual({ ok: false, retryable: true, error: 'HTTP 503: busy' });
    expect(outcomeFromHttp(404)).toMatchObject({ ok: false, retryable: false });
    expect(parseRetryAfter('Wed, 04 Nov 2026 10:00:30 GMT', new Date('2026-11-04T10:00:00Z'))).toBe(30_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('CSV', () => {
  it('writes a header for no tickets', () => {
    expect(ticketsToCsv([])).toBe('reference,status,category,priority,org_type,org_name,requester_platform,assignee,deadline,sla_due_at,first_response_at,created_at,updated_at,summary\r\n');
  });
});
