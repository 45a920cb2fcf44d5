// Query expansion from a domain glossary: people write "sole rights" where guidance writes
// "exclusivity", and "DPIA" where the text spells out "data protection impact assessment".
import { readFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { words } from './text.js';

const glossarySchema = z.record(z.string().min(1), z.array(z.string().min(1)).min(1));

export interface Glossary {
  /** Expansion phrases for every glossary term found in the text. */
  expand(text: string): string[];
  /** The glossary terms found in the text, each with its expansions. */
  matches(text: string): GlossaryMatch[];
  readonly size: number;
}

export interface GlossaryMatch {
  term: string;
  expansions: string[];
}

export function loadGlossary(path = fileURLToPath(new URL('./glossary.json', import.meta.url))): Glossary {
  if (!existsSync(path)) return createGlossary({});
  const parsed = glossarySchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`glossary ${path} is invalid: ${parsed.error.issues[0]?.message ?? 'bad shape'}`);
  return createGlossary(parsed.data);
}

export function createGlossary(entries: Record<string, string[]>): Glossary {
  // Keyed by the term's word sequence so "opt-out" matches "opt out" and "Opt-Out".
  const byFirstWord = new Map<string, Array<{ term: string; seq: string[]; expansions: string[] }>>();
  for (const [term, expansions] of Object.entries(entries)) {
    const seq = words(term);
    if (seq.length === 0) continue;
    const list = byFirstWord.get(seq[0]!) ?? [];
    list.push({ term, seq, expansions });
    byFirstWord.set(seq[0]!, list);
  }
  const matches = (text: string): GlossaryMatch[] => {
    const ws = words(text);
    const out = new Map<string, GlossaryMatch>();
    for (let i = 0; i < ws.length; i++) {
      for (const entry of byFirstWord.get(ws[i]!) ?? []) {
        if (entry.seq.every((w, j) => ws[i + j] === w)) out.set(entry.term, { term: entry.term, expansions: entry.expansions });
      }
    }
    return [...out.values()];
  };
  return {
    size: Object.keys(entries).length,
    matches,
    expand(text: string): string[] {
      return [...new Set(matches(text).flatMap((m) => m.expansions))];
    },
  };
}
