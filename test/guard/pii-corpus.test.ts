// The labelled corpus is the detector's contract: recall 1.0 on NHS numbers, and overall
// precision and recall of at least 0.95. Never lower these; improve the detector instead.
import { beforeAll, describe, expect, it } from 'vitest';
import { PII_KINDS, type PiiKind } from '../../src/guard/index.js';
import { evaluatePiiCorpus, loadPiiCorpus, type PiiCase, type PiiEvaluation } from '../../src/guard/pii-metrics.js';

const CORPUS = new URL('../fixtures/pii/labelled.jsonl', import.meta.url).pathname;

// An independent modulus 11 check, so a corpus label cannot be wrong in the same way as the code.
function passesModulus11(value: string): boolean {
  const d = value.replace(/\D/g, '');
  if (d.length !== 10) return false;
  const sum = [...d.slice(0, 9)].reduce((acc, c, i) => acc + Number(c) * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === Number(d[9]);
}

let cases: PiiCase[];
let result: PiiEvaluation;

beforeAll(async () => {
  cases = await loadPiiCorpus(CORPUS);
  result = evaluatePiiCorpus(cases);
});

const explain = () =>
  result.failures
    .map((f) => `#${f.index} [${f.context}] ${f.text}\n  missed ${JSON.stringify(f.missed)} unexpected ${JSON.stringify(f.unexpected)}`)
    .join('\n');

describe('labelled corpus', () => {
  it('is large and varied enough to mean something', () => {
    expect(cases.length).toBeGreaterThanOrEqual(220);
    expect(cases.filter((c) => c.expect.length === 0).length).toBeGreaterThanOrEqual(70);
    expect(cases.some((c) => c.context === 'knowledge' && c.expect.length === 0)).toBe(true);
    const perKind = new Map<PiiKind, number>();
    for (const c of cases) for (const e of c.expect) perKind.set(e.kind, (perKind.get(e.kind) ?? 0) + 1);
    for (const kind of PII_KINDS) expect(perKind.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(15);
  });

  it('labels only NHS numbers that pass modulus 11', () => {
    const labelled = cases.flatMap((c) => c.expect.filter((e) => e.kind === 'nhs_number').map((e) => e.value));
    expect(labelled.length).toBeGreaterThanOrEqual(15);
    for (const v of labelled) expect(passesModulus11(v), v).toBe(true);
  });

  it('finds every NHS number (recall 1.0)', () => {
    expect(result.byKind.nhs_number.fn, explain()).toBe(0);
    expect(result.byKind.nhs_number.recall).toBe(1);
  });

  it('reaches overall recall of at least 0.95', () => {
    expect(result.overall.recall, explain()).toBeGreaterThanOrEqual(0.95);
  });

  it('reaches overall precision of at least 0.95', () => {
    expect(result.overall.precision, explain()).toBeGreaterThanOrEqual(0.95);
  });
});
