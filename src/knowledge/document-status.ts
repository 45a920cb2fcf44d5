// Whether a cited document can be relied on as it stands: superseded or past its review date.
import type { CitationStatus } from '../core/types.js';
import type { DocumentMeta } from './types.js';

export const DEFAULT_STALE_MONTHS = 24;

/** Midnight UTC on the given YYYY-MM-DD, or undefined when it is not one. */
export function parseDay(value: string): Date | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** True when `reviewed` is more than `months` calendar months before `now`. */
export function isStale(reviewed: string | undefined, now: Date, months = DEFAULT_STALE_MONTHS): boolean {
  const day = reviewed ? parseDay(reviewed) : undefined;
  if (!day) return false;
  const limit = new Date(day);
  limit.setUTCMonth(limit.getUTCMonth() + months);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return today > limit.getTime();
}

/**
 * 'superseded' when another document replaces this one, else 'stale' when nobody has reviewed it
 * for more than 24 months, else 'current'. A document without a review date (a PDF with no
 * sidecar) cannot be judged stale and counts as current.
 */
export function documentStatus(
  meta: Pick<DocumentMeta, 'supersededBy' | 'reviewed'>,
  now: Date = new Date(),
  staleMonths = DEFAULT_STALE_MONTHS,
): CitationStatus {
  if (meta.supersededBy) return 'superseded';
  if (isStale(meta.reviewed, now, staleMonths)) return 'stale';
  return 'current';
}
