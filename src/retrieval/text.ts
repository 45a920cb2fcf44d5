// Tokenising shared by the lexical index, sentence scoring and routing, so a word is the same
// word everywhere. Codes such as DCB0160 or ISO13485 stay whole tokens.

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her him his how i ' +
    'if in into is it its itself just me my no nor not of off on once only or our ours out over own same she should so some ' +
    'such than that the their theirs them then there these they this those through to too under until up very was we were ' +
    'what when where which while who whom why will with would you your yours us also any each about after again against ' +
    'all am because before below between both during few further here more most other s t don now ll re ve d m o y shall ' +
    'may might must need get got let lets im ive youre whats hows theres whos etc e g ie via per one ' +
    // Chat filler: common in how people ask, never what they ask about.
    'actually really basically pls plz please kinda sort thing things stuff exactly literally tell anyone anybody someone ' +
    'somebody something whether much many'
  ).split(/\s+/),
);

// [suffix, replacement, shortest stem it may leave]. Inflections (-ing, -ed, -s, -ment, -er) may
// leave three letters ("paying", "payment" → "pay"; "owners" → "own"); derivations need four.
const SUFFIXES: Array<[string, string, number]> = [
  ['isations', '', 4],
  ['izations', '', 4],
  ['isation', '', 4],
  ['ization', '', 4],
  ['ivities', '', 4],
  ['ivity', '', 4],
  ['ively', '', 4],
  ['ations', '', 4],
  ['ation', '', 4],
  ['ising', '', 4],
  ['izing', '', 4],
  ['ised', '', 4],
  ['ized', '', 4],
  ['ises', '', 4],
  ['izes', '', 4],
  ['ise', '', 4],
  ['ize', '', 4],
  ['ities', '', 4],
  ['ity', '', 4],
  ['ives', '', 4],
  ['ive', '', 4],
  ['ments', '', 3],
  ['ment', '', 3],
  ['ings', '', 3],
  ['ing', '', 3],
  ['ies', 'i', 4],
  ['ied', 'i', 4],
  ['ous', '', 4],
  ['ers', '', 3],
  ['er', '', 3],
  ['ed', '', 3],
  ['sis', 's', 4],
  ['es', '', 4],
  ['ly', '', 4],
  ['als', '', 4],
  ['al', '', 4],
  ['s', '', 3],
];

/** A light suffix-stripping stemmer: consistent, not linguistically perfect. */
export function stem(word: string): string {
  if (/\d/.test(word)) return word;
  if (word.length <= 4) {
    // Short plurals ("fees", "apps", "SRAs") meet their singular; "less", "plus" and "axis" stay.
    return word.length === 4 && word.endsWith('s') && !/(?:ss|us|is)$/.test(word) ? word.slice(0, -1) : word;
  }
  for (const [suffix, replacement, min] of SUFFIXES) {
    if (!word.endsWith(suffix) || word.length - suffix.length < min) continue;
    if (suffix === 's' && word.endsWith('ss')) return word;
    const base = word.slice(0, -suffix.length);
    // "speed", "feed": a short stem ending in e is a word, not a past tense.
    if (suffix === 'ed' && base.length === 3 && base.endsWith('e')) return trimTail(word);
    return trimTail(base + replacement);
  }
  return trimTail(word);
}

function trimTail(w: string): string {
  if (w.length > 4 && (w.endsWith('e') || w.endsWith('y'))) w = w.slice(0, -1) + (w.endsWith('y') ? 'i' : '');
  if (w.length > 4 && w.at(-1) === w.at(-2) && /[bdfgklmnprt]/.test(w.at(-1)!)) w = w.slice(0, -1);
  // British and American spellings meet: "licence" and "license" → "licenc".
  if (w.endsWith('ens')) w = `${w.slice(0, -1)}c`;
  return w;
}

/** Lower-cased words with punctuation removed; "DCB0129" → "dcb0129", "opt-out" → "opt", "out". */
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

export function isStopWord(w: string): boolean {
  return STOP_WORDS.has(w);
}

/** Index terms: words minus stop words, stemmed. */
export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (STOP_WORDS.has(w)) continue;
    if (w.length === 1 && !/\d/.test(w)) continue;
    out.push(stem(w));
  }
  return out;
}

/** Splits prose into sentences, keeping list items and headings as their own units. */
export function sentences(text: string): string[] {
  const out: string[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const line = rawLine.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, '').trim();
    if (!line || /^#+\s/.test(line)) continue;
    // Split after . ! ? followed by space and a capital/digit/quote, but not after common abbreviations.
    const parts = line.split(/(?<=(?<!\b(?:e\.g|i\.e|etc|Dr|Mr|Mrs|Ms|St|No|vs|cf|Art|para|approx))[.!?])\s+(?=["“(]?[A-Z0-9])/);
    for (const p of parts) {
      const s = p.trim();
      if (s.length > 0) out.push(s);
    }
  }
  return out;
}
