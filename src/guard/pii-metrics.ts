// Precision and recall of the detector on a labelled corpus, per kind and overall. A finding
// is a true positive when its kind matches a labelled item and their spans overlap.

import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { detectPii } from './pii-detector.js';
import { PII_KINDS, type PiiFinding, type PiiKind, type PiiOptions } from './pii-types.js';

const caseSchema = z.object({
  text: z.string(),
  context: z.enum(['user', 'knowledge']).default('user'),
  expect: z.array(z.object({ kind: z.enum(PII_KINDS), value: z.string().min(1) })),
  note: z.string().optional(),
});
export type PiiCase = z.infer<typeof caseSchema>;

export interface PiiScore {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface PiiFailure {
  /** Zero-based line of the case in the corpus. */
  index: number;
  text: string;
  context: 'user' | 'knowledge';
  missed: Array<{ kind: PiiKind; value: string }>;
  unexpected: Array<{ kind: PiiKind; value: string }>;
}

export interface PiiEvaluation {
  overall: PiiScore;
  byKind: Record<PiiKind, PiiScore>;
  failures: PiiFailure[];
  cases: number;
}

type Detector = (text: string, options?: PiiOptions) => PiiFinding[];

/** Reads a JSON Lines corpus; a malformed line or a value missing from its text is an error. */
export async function loadPiiCorpus(path: string): Promise<PiiCase[]> {
  const raw = await readFile(path, 'utf8');
  const cases: PiiCase[] = [];
  raw.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = caseSchema.safeParse(JSON.parse(line));
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues[0]?.message ?? 'invalid case'}`);
    for (const e of parsed.data.expect) {
      if (!parsed.data.text.includes(e.value)) throw new Error(`${path}:${i + 1}: "${e.value}" is not in the text`);
    }
    cases.push(parsed.data);
  });
  return cases;
}

interface Span {
  kind: PiiKind;
  start: number;
  end: number;
  value: string;
}

/** Places each expected value in the text, repeated values at successive occurrences. */
function locate(c: PiiCase): Span[] {
  const next = new Map<string, number>();
  return c.expect.map((e) => {
    const from = next.get(e.value) ?? 0;
    let start = c.text.indexOf(e.value, from);
    if (start < 0) start = c.text.indexOf(e.value);
    next.set(e.value, start + e.value.length);
    return { kind: e.kind, start, end: start + e.value.length, value: e.value };
  });
}

const emptyCounts = () => ({ tp: 0, fp: 0, fn: 0 });

function score(c: { tp: number; fp: number; fn: number }): PiiScore {
  // Nothing predicted is perfect precision; nothing expected is perfect recall.
  return {
    precision: c.tp + c.fp === 0 ? 1 : c.tp / (c.tp + c.fp),
    recall: c.tp + c.fn === 0 ? 1 : c.tp / (c.tp + c.fn),
    ...c,
  };
}

export function evaluatePiiCorpus(cases: PiiCase[], detect: Detector = detectPii): PiiEvaluation {
  const counts = Object.fromEntries(PII_KINDS.map((k) => [k, emptyCounts()])) as Record<PiiKind, ReturnType<typeof emptyCounts>>;
  const failures: PiiFailure[] = [];

  cases.forEach((c, index) => {
    const expected = locate(c);
    const found = detect(c.text, { context: c.context });
    const used = new Set<number>();
    const missed: PiiFailure['missed'] = [];
    for (const e of expected) {
      const hit = found.findIndex((f, i) => !used.has(i) && f.kind === e.kind && f.start < e.end && e.start < f.end);
      if (hit >= 0) {
        used.add(hit);
        counts[e.kind].tp++;
      } else {
        counts[e.kind].fn++;
        missed.push({ kind: e.kind, value: e.value });
      }
    }
    const unexpected = found.filter((_, i) => !used.has(i)).map((f) => ({ kind: f.kind, value: f.value }));
    for (const u of unexpected) counts[u.kind].fp++;
    if (missed.length > 0 || unexpected.length > 0) failures.push({ index, text: c.text, context: c.context, missed, unexpected });
  });

  const total = emptyCounts();
  for (const k of PII_KINDS) {
    total.tp += counts[k].tp;
    total.fp += counts[k].fp;
    total.fn += counts[k].fn;
  }
  const byKind = Object.fromEntries(PII_KINDS.map((k) => [k, score(counts[k])])) as Record<PiiKind, PiiScore>;
  return { overall: score(total), byKind, failures, cases: cases.length };
}
