// Replaces patient-identifiable data with typed placeholders. Everything that leaves the
// user's message (model prompts, the index, logs, tickets, analytics) goes through here.

import { detectPii } from './pii-detector.js';
import { PII_KIND_LABELS, PII_PLACEHOLDERS, type PiiKind, type PiiOptions } from './pii-types.js';

export interface Redaction {
  text: string;
  /** How many items were replaced. */
  redactions: number;
  /** Kinds replaced, each once, in order of first appearance. */
  kinds: PiiKind[];
}

/** Idempotent: placeholders are never detected, so redacting redacted text changes nothing. */
export function redactPii(text: string, options: PiiOptions = {}): Redaction {
  const findings = detectPii(text, options);
  if (findings.length === 0) return { text, redactions: 0, kinds: [] };
  let out = '';
  let at = 0;
  const kinds: PiiKind[] = [];
  for (const f of findings) {
    out += text.slice(at, f.start) + PII_PLACEHOLDERS[f.kind];
    at = f.end;
    if (!kinds.includes(f.kind)) kinds.push(f.kind);
  }
  return { text: out + text.slice(at), redactions: findings.length, kinds };
}

export interface DeepRedaction<T> {
  value: T;
  redactions: number;
  kinds: PiiKind[];
}

/**
 * Redacts every string inside a JSON-like value (objects, arrays, nested), returning a copy.
 * Keys are left alone: they are field names we chose, not user text. Other values (numbers,
 * booleans, null, Dates) pass through unchanged; a cycle is copied once, not followed forever.
 */
export function redactDeep<T>(value: T, options: PiiOptions = {}): DeepRedaction<T> {
  let redactions = 0;
  const kinds: PiiKind[] = [];
  const seen = new Map<object, unknown>();

  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const r = redactPii(v, options);
      redactions += r.redactions;
      for (const k of r.kinds) if (!kinds.includes(k)) kinds.push(k);
      return r.text;
    }
    if (v === null || typeof v !== 'object') return v;
    const existing = seen.get(v);
    if (existing !== undefined) return existing;
    if (Array.isArray(v)) {
      const copy: unknown[] = [];
      seen.set(v, copy);
      for (const item of v) copy.push(walk(item));
      return copy;
    }
    if (!isPlainObject(v)) return v;
    const copy: Record<string, unknown> = {};
    seen.set(v, copy);
    for (const [key, item] of Object.entries(v)) copy[key] = walk(item);
    return copy;
  };

  return { value: walk(value) as T, redactions, kinds };
}

function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** The generic notice, for callers that do not know which kinds were removed. */
export const PII_NOTICE =
  "I removed what looked like patient-identifiable information: please don't share patient details here.";

/**
 * One short, kind sentence naming what was removed, e.g. "I removed what looked like
 * patient-identifiable information (NHS number and postcode): please don't share patient
 * details here."
 */
export function piiNotice(kinds: readonly PiiKind[]): string {
  const words = [...new Set(kinds)].map((k) => PII_KIND_LABELS[k]).filter(Boolean);
  if (words.length === 0) return PII_NOTICE;
  return `I removed what looked like patient-identifiable information (${listInWords(words)}): please don't share patient details here.`;
}

function listInWords(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}
