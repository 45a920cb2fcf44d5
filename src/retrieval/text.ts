// Tokenising shared by the lexical index, sentence scoring and routing, so a word is the same
// word everywhere. Codes such as DCB0160 or ISO13485 stay whole tokens.

const STOP_WORDS = new Set(
  (
    'a an and are as at be been being but by can could did do does doing for from had has have having he her him his how i ' +
    'if in into is it its itself just me my no nor not of off on once only or our ours out over own same she should so some ' +
    'such than that the their theirs them then there these they this those through to too under until up very was we were ' +
    'what when where which while who whom why will with would you your yours us also any each about after again against ' +
    'all am because before below between both during few further here more most other s t don now ll re ve d m o y shall ' +
    'may might must need get got let lets im ive youre whats hows theres whos etc e g ie via per one'
  ).split(/\s+/),
);

const SUFFIXES: Array<[string, string]> = [
  ['ivities', ''],
  ['ivity', ''],
  ['ively', ''],
  ['ations', ''],
  ['ation', ''],
  ['ising', ''],
  ['izing', ''],
  ['ised', ''],
  ['ized', ''],
  ['ises', ''],
  ['izes', ''],
  ['ise', ''],
  ['ize', ''],
  ['ities', ''],
  ['ity', ''],
  ['ives', ''],
  ['ive', ''],
  ['ments', ''],
  ['ment', ''],
  ['ings', ''],
  ['ing', ''],
  ['ies', 'i'],
  ['ied', 'i'],
  ['ers', ''],
  ['er', ''],
  ['ed', ''],
  ['es', ''],
  ['ly', ''],
  ['al', ''],
  ['s', ''],
];

/** A light suffix-stripping stemmer: consistent, not linguistically perfect. */
export function stem(word: string): string {
  if (word.length <= 4 || /\d/.test(word)) return word;
  for (const [suffix, replacement] of SUFFIXES) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 4) {
      if (suffix === 's' && word.endsWith('ss')) return word;
      return trimTail(word.slice(0, -suffix.length) + replacement);
    }
  }
  return trimTail(word);
}

function trimTail(w: string): string {
  if (w.length > 4 && (w.endsWith('e') || w.endsWith('y'))) w = w.slice(0, -1) + (w.endsWith('y') ? 'i' : '');
  if (w.length > 4 && w.at(-1) === w.at(-2) && /[bdfgklmnprt]/.test(w.at(-1)!)) w = w.slice(0, -1);
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
