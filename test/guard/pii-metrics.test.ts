import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PiiFinding } from '../../src/guard/index.js';
import { evaluatePiiCorpus, loadPiiCorpus, type PiiCase } from '../../src/guard/pii-metrics.js';

// A detector with fixed answers, so the counting itself is what is under test.
const answering = (answers: Record<string, PiiFinding[]>) => (text: string) => answers[text] ?? [];
const at = (text: string, kind: PiiFinding['kind'], value: string, from = 0): PiiFinding => {
  const start = text.indexOf(value, from);
  return { kind, start, end: start + value.length, value };
};

describe('evaluatePiiCorpus', () => {
  const a = 'NHS 943 476 5919 and LS6 2QT';
  const b = 'Published 15 July 2019';
  const c = 'call 07700 900123 or 07700 900123';
  const cases: PiiCase[] = [
    { text: a, context: 'user', expect: [{ kind: 'nhs_number', value: '943 476 5919' }, { kind: 'postcode', value: 'LS6 2QT' }] },
    { text: b, context: 'knowledge', expect: [] },
    { text: c, context: 'user', expect: [{ kind: 'phone', value: '07700 900123' }, { kind: 'phone', value: '07700 900123' }] },
  ];

  it('counts overlap with the right kind as a hit, and a wrong kind as both a miss and a false alarm', () => {
    const detect = answering({
      // a partial span still overlaps; the postcode is reported as a phone number
      [a]: [{ kind: 'nhs_number', start: 4, end: 11, value: '943 476' }, at(a, 'phone', 'LS6 2QT')],
      [b]: [at(b, 'date_of_birth', '15 July 2019')],
      [c]: [at(c, 'phone', '07700 900123', 10)],
    });
    const r = evaluatePiiCorpus(cases, detect);
    expect(r.byKind.nhs_number).toMatchObject({ tp: 1, fp: 0, fn: 0, precision: 1, recall: 1 });
    expect(r.byKind.postcode).toMatchObject({ tp: 0, fp: 0, fn: 1, recall: 0 });
    expect(r.byKind.phone).toMatchObject({ tp: 1, fp: 1, fn: 1, precision: 0.5, recall: 0.5 });
    expect(r.byKind.date_of_birth).toMatchObject({ tp: 0, fp: 1, precision: 0 });
    expect(r.overall).toMatchObject({ tp: 2, fp: 2, fn: 2, precision: 0.5, recall: 0.5 });
    expect(r.failures.map((f) => f.index)).toEqual([0, 1, 2]);
    expect(r.failures[2]!.missed).toEqual([{ kind: 'phone', value: '07700 900123' }]);
  });

  it('places a repeated value at its successive occurrences', () => {
    const detect = answering({ [c]: [at(c, 'phone', '07700 900123'), at(c, 'phone', '07700 900123', 10)] });
    const r = evaluatePiiCorpus([cases[2]!], detect);
    expect(r.byKind.phone).toMatchObject({ tp: 2, fp: 0, fn: 0 });
  });

  it('scores an empty run as perfect rather than dividing by zero', () => {
    const r = evaluatePiiCorpus([cases[1]!], answering({}));
    expect(r.overall).toMatchObject({ precision: 1, recall: 1, tp: 0, fp: 0, fn: 0 });
    expect(r.failures).toEqual([]);
  });
});

describe('loadPiiCorpus', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  const file = async (body: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'pii-corpus-'));
    dirs.push(dir);
    const path = join(dir, 'c.jsonl');
    await writeFile(path, body);
    return path;
  };

  it('reads JSON Lines, skipping blank lines and defaulting the context', async () => {
    const path = await file('{"text":"DOB 12/03/1984","expect":[{"kind":"date_of_birth","value":"12/03/1984"}]}\n\n{"text":"x","context":"knowledge","expect":[]}\n');
    const loaded = await loadPiiCorpus(path);
    expect(loaded).toHaveLength(2);
    expect(loaded[0]!.context).toBe('user');
  });

  it('rejects an unknown kind and a value that is not in its text, naming the line', async () => {
    await expect(loadPiiCorpus(await file('{"text":"a","expect":[{"kind":"passport","value":"a"}]}\n'))).rejects.toThrow(/:1:/);
    await expect(loadPiiCorpus(await file('{"text":"a","expect":[]}\n{"text":"abc","expect":[{"kind":"email","value":"x@y.z"}]}\n'))).rejects.toThrow(/:2: "x@y.z" is not in the text/);
  });
});
