// The knowledge base is written in our own words: no sentence may share a run of ten or more
// consecutive words with the fact pack or the seed articles it was written from. Quoted titles
// ("…" or “…”) are names, not prose, and are left out of the comparison.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KNOWLEDGE_DIR, REPO_ROOT } from '../support/test-data.js';

const RUN = 10;
const SHARED = resolve(REPO_ROOT, '..', 'shared');

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z0-9£%]+/g) ?? [];
}

function withoutQuotes(text: string): string {
  return text.replace(/“[^”]*”|"[^"\n]*"/g, ' ');
}

export function sourceRuns(dirs: string[]): Map<string, string> {
  const runs = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir)) {
      if (!/\.(md|txt)$/.test(name) || name === 'README.md') continue;
      const w = words(withoutQuotes(readFileSync(join(dir, name), 'utf8')));
      for (let i = 0; i + RUN <= w.length; i++) if (!runs.has(w.slice(i, i + RUN).join(' '))) runs.set(w.slice(i, i + RUN).join(' '), name);
    }
  }
  return runs;
}

export function copiedSentences(runs: Map<string, string>, dir = KNOWLEDGE_DIR): Array<{ doc: string; source: string; sentence: string }> {
  const found: Array<{ doc: string; source: string; sentence: string }> = [];
  for (const doc of readdirSync(dir).filter((n) => n.endsWith('.md')).sort()) {
    const body = readFileSync(join(dir, doc), 'utf8').replace(/^---[\s\S]*?\n---\n/, '');
    for (const sentence of body.split(/(?<=[.!?])\s+|\n/)) {
      const w = words(withoutQuotes(sentence));
      for (let i = 0; i + RUN <= w.length; i++) {
        const source = runs.get(w.slice(i, i + RUN).join(' '));
        if (source) {
          found.push({ doc, source, sentence: sentence.trim() });
          break;
        }
      }
    }
  }
  return found;
}

describe('knowledge base originality', () => {
  it(`shares no run of ${RUN} words with the fact pack or the seed articles`, () => {
    const copied = copiedSentences(sourceRuns([join(SHARED, 'sources'), join(SHARED, 'seeds')]));
    const report = copied.map((c) => `${c.doc} (from ${c.source}): ${c.sentence.slice(0, 120)}`);
    expect(report).toEqual([]);
  });
});
