// Duplicate detection: two requests from one person are "the same" when their word sets overlap
// strongly. Cheap, explainable and language-model free; the threshold errs on creating a ticket.

const STOP_WORDS = new Set(
  'a an and are as at be but by can could do does for from had has have how i if in into is it its me my need of on or our please so that the their them there these they this to us was we what when where which who will with would you your help'.split(
    ' ',
  ),
);

export function tokens(text: string): Set<string> {
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 1 && !STOP_WORDS.has(w))
    .map((w) => (w.length > 4 && w.endsWith('s') ? w.slice(0, -1) : w));
  return new Set(words);
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared += 1;
  return shared / (a.size + b.size - shared);
}

export const DUPLICATE_THRESHOLD = 0.6;
/** A lower bar when the requester also chose the same category. */
export const SAME_CATEGORY_THRESHOLD = 0.45;

export function isLikelyDuplicate(
  a: { text: string; category: string },
  b: { text: string; category: string },
): boolean {
  const score = jaccard(tokens(a.text), tokens(b.text));
  return score >= DUPLICATE_THRESHOLD || (a.category === b.category && score >= SAME_CATEGORY_THRESHOLD);
}
