// Scores the assistant on an eval file (JSON Lines): retrieval (hit@1, hit@5, MRR over the
// cited sources), answer content (phrase recall) and routing (route accuracy), with every miss listed.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ROUTES, type Navigator, type AskResult } from '../core/types.js';

export const evalCaseSchema = z.object({
  q: z.string().min(1),
  history: z.array(z.object({ role: z.enum(['user', 'assistant']), text: z.string() })).optional(),
  expect_sources: z.array(z.string()).default([]),
  expect_any: z.array(z.string()).default([]),
  route: z.enum(ROUTES),
});
export type EvalCase = z.infer<typeof evalCaseSchema>;

export interface CaseOutcome {
  line: number;
  q: string;
  expectedRoute: string;
  route: string;
  rank: number | null; // 1-based rank of the first expected source among citations
  phraseHit: boolean | null;
  failures: string[];
}

export interface EvalReport {
  cases: number;
  retrievalCases: number;
  phraseCases: number;
  hitAt1: number;
  hitAt5: number;
  mrr: number;
  phraseRecall: number;
  routeAccuracy: number;
  failures: CaseOutcome[];
  outcomes: CaseOutcome[];
}

export function loadEvalFile(path: string): EvalCase[] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const cases: EvalCase[] = [];
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new Error(`${path}:${i + 1}: not valid JSON`);
    }
    const parsed = evalCaseSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${path}:${i + 1}: ${parsed.error.issues.map((x) => `${x.path.join('.')}: ${x.message}`).join('; ')}`);
    cases.push(parsed.data);
  });
  return cases;
}

export function normaliseUrl(url: string): string {
  return url.trim().replace(/#.*$/, '').replace(/\/+$/, '').toLowerCase();
}

export function scoreCase(c: EvalCase, result: Pick<AskResult, 'answer' | 'route' | 'citations'>, line: number): CaseOutcome {
  const failures: string[] = [];
  const expected = new Set(c.expect_sources.map(normaliseUrl));
  let rank: number | null = null;
  if (expected.size > 0) {
    const i = result.citations.slice(0, 5).findIndex((cit) => expected.has(normaliseUrl(cit.url)));
    rank = i >= 0 ? i + 1 : 0;
    if (rank !== 1) failures.push(rank === 0 ? 'expected source not in top 5 citations' : `expected source at rank ${rank}`);
  }
  let phraseHit: boolean | null = null;
  if (c.expect_any.length > 0) {
    const answer = result.answer.toLowerCase();
    phraseHit = c.expect_any.some((p) => answer.includes(p.toLowerCase()));
    if (!phraseHit) failures.push(`answer lacks all of: ${c.expect_any.join(' | ')}`);
  }
  if (result.route !== c.route) failures.push(`route ${result.route}, expected ${c.route}`);
  return { line, q: c.q, expectedRoute: c.route, route: result.route, rank, phraseHit, failures };
}

export async function runEval(navigator: Navigator, cases: EvalCase[]): Promise<EvalReport> {
  const outcomes: CaseOutcome[] = [];
  for (const [i, c] of cases.entries()) {
    const result = await navigator.ask({ question: c.q, history: c.history });
    outcomes.push(scoreCase(c, result, i + 1));
  }
  return summarise(outcomes);
}

export function summarise(outcomes: CaseOutcome[]): EvalReport {
  const ranked = outcomes.filter((o) => o.rank !== null);
  const phrased = outcomes.filter((o) => o.phraseHit !== null);
  const ratio = (n: number, d: number) => (d === 0 ? 1 : round(n / d));
  return {
    cases: outcomes.length,
    retrievalCases: ranked.length,
    phraseCases: phrased.length,
    hitAt1: ratio(ranked.filter((o) => o.rank === 1).length, ranked.length),
    hitAt5: ratio(ranked.filter((o) => (o.rank ?? 0) >= 1).length, ranked.length),
    mrr: ratio(ranked.reduce((s, o) => s + (o.rank ? 1 / o.rank : 0), 0), ranked.length),
    phraseRecall: ratio(phrased.filter((o) => o.phraseHit).length, phrased.length),
    routeAccuracy: ratio(outcomes.filter((o) => o.route === o.expectedRoute).length, outcomes.length),
    failures: outcomes.filter((o) => o.failures.length > 0),
    outcomes,
  };
}

export function formatReport(report: EvalReport, label = ''): string {
  const lines = [
    `${label ? `${label}: ` : ''}${report.cases} cases (${report.retrievalCases} with expected sources, ${report.phraseCases} with expected phrases)`,
    `hit@1 ${report.hitAt1.toFixed(3)}  hit@5 ${report.hitAt5.toFixed(3)}  MRR ${report.mrr.toFixed(3)}  phrase recall ${report.phraseRecall.toFixed(3)}  route accuracy ${report.routeAccuracy.toFixed(3)}`,
  ];
  if (report.failures.length > 0) {
    lines.push(`failures (${report.failures.length}):`);
    for (const f of report.failures) lines.push(`  #${f.line} ${JSON.stringify(f.q.slice(0, 90))}: ${f.failures.join('; ')}`);
  } else lines.push('failures: none');
  return lines.join('\n');
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}
