// `navigator knowledge check`: everything that would make the corpus cite wrongly or unsafely is
// an error (bad front matter, duplicates, dangling supersession links, empty sections, text that
// tries to instruct the model); things a reviewer should look at soon are warnings.
import { relative, isAbsolute } from 'node:path';
import { findInstructionLikeText } from '../guard/injection-scan.js';
import { DEFAULT_STALE_MONTHS, isStale, parseDay } from './document-status.js';
import { documentIdFor, formatFor, isEmptySection, loadDocuments } from './loaders/index.js';
import type { SourceDocument } from './types.js';

export interface Issue {
  path: string;
  /** Starts with the file's name relative to the checked folder. */
  message: string;
}

export interface CheckResult {
  errors: Issue[];
  warnings: Issue[];
  /** Files examined, including those that could not be loaded. */
  documents: number;
}

export interface CheckOptions {
  now?: Date;
  staleMonths?: number;
  maxSectionChars?: number;
}

export async function checkKnowledge(dir: string, options: CheckOptions = {}): Promise<CheckResult> {
  const now = options.now ?? new Date();
  const staleMonths = options.staleMonths ?? DEFAULT_STALE_MONTHS;
  const maxSectionChars = options.maxSectionChars ?? 2500;
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  const nameOf = (path: string) => {
    const rel = relative(dir, path);
    return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? path : rel;
  };
  const error = (path: string, message: string) => errors.push({ path, message: `${nameOf(path)}: ${message}` });
  const warn = (path: string, message: string) => warnings.push({ path, message: `${nameOf(path)}: ${message}` });

  const { documents, problems } = await loadDocuments([dir]);
  for (const problem of problems) error(problem.path, problem.error);
  const brokenFiles = problems.filter((p) => formatFor(p.path) !== undefined).map((p) => p.path);
  // A document that failed to load still exists, so links to it are not dangling.
  const ids = new Set([...documents.map((d) => d.meta.id), ...brokenFiles.map(documentIdFor)]);

  checkUnique(documents, (d) => normaliseTitle(d.meta.title), 'title', (d) => d.meta.title, error, nameOf);
  checkUnique(documents, (d) => normaliseUrl(d.meta.url), 'url', (d) => d.meta.url, error, nameOf);

  for (const doc of documents) {
    const path = doc.meta.sourcePath;
    for (const [field, target] of [
      ['supersedes', doc.meta.supersedes],
      ['superseded_by', doc.meta.supersededBy],
    ] as const) {
      if (target === undefined) continue;
      if (target === doc.meta.id) error(path, `${field} "${target}" refers to the document itself`);
      else if (!ids.has(target)) error(path, `${field} "${target}" does not match any document (no ${target}.md in this folder)`);
    }
    checkSections(doc, maxSectionChars, error, warn);
    checkReview(doc, now, staleMonths, warn);
  }

  return { errors, warnings, documents: documents.length + brokenFiles.length };
}

type Report = (path: string, message: string) => void;

function checkSections(doc: SourceDocument, maxSectionChars: number, error: Report, warn: Report): void {
  const path = doc.meta.sourcePath;
  if (!doc.sections.some((s) => s.text.trim() !== '')) error(path, 'has no text');
  for (const match of findInstructionLikeText(doc.meta.title)) {
    error(path, `instruction-like text in the title (${match.rule}): "${match.match}"`);
  }
  doc.sections.forEach((section, i) => {
    const where = section.headingPath.length > 0 ? `section "${section.headingPath.join(' › ')}"` : 'the text before the first heading';
    if (isEmptySection(doc.sections, i)) error(path, `${where} is empty`);
    if (section.text.length > maxSectionChars) {
      warn(path, `${where} is ${section.text.length} characters (over ${maxSectionChars}); split it under more headings`);
    }
    const heading = section.headingPath[section.headingPath.length - 1] ?? '';
    for (const match of [...findInstructionLikeText(heading), ...findInstructionLikeText(section.text)]) {
      error(path, `instruction-like text in ${where} (${match.rule}): "${clip(match.match)}"`);
    }
  });
}

function checkReview(doc: SourceDocument, now: Date, staleMonths: number, warn: Report): void {
  const { reviewed, sourcePath } = doc.meta;
  if (!reviewed) return;
  if (isStale(reviewed, now, staleMonths)) {
    warn(sourcePath, `last reviewed ${reviewed}, more than ${staleMonths} months ago; check it against its source and update "reviewed"`);
  }
  const day = parseDay(reviewed);
  if (day && day.getTime() > now.getTime() + 24 * 3600 * 1000) warn(sourcePath, `reviewed date ${reviewed} is in the future`);
}

function checkUnique(
  documents: SourceDocument[],
  key: (d: SourceDocument) => string,
  field: string,
  shown: (d: SourceDocument) => string,
  error: Report,
  nameOf: (path: string) => string,
): void {
  const first = new Map<string, SourceDocument>();
  for (const doc of documents) {
    const k = key(doc);
    const earlier = first.get(k);
    if (earlier) error(doc.meta.sourcePath, `duplicate ${field} "${shown(doc)}" (also in ${nameOf(earlier.meta.sourcePath)})`);
    else first.set(k, doc);
  }
}

function normaliseTitle(title: string): string {
  return title.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Same page, written differently: case of scheme and host, a trailing slash, a #fragment. */
function normaliseUrl(url: string): string {
  try {
    const u = new URL(url.trim());
    u.hash = '';
    return u.href.replace(/\/$/, '');
  } catch {
    return url.trim();
  }
}

function clip(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One line per issue, errors first, then a summary line. */
export function formatCheckReport(result: CheckResult): string {
  const lines = [
    ...result.errors.map((i) => `error    ${i.message}`),
    ...result.warnings.map((i) => `warning  ${i.message}`),
  ];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict = result.errors.length > 0 ? 'FAILED' : 'OK';
  lines.push(
    `knowledge check ${verdict}: ${plural(result.documents, 'document')}, ${plural(result.errors.length, 'error')}, ${plural(result.warnings.length, 'warning')}`,
  );
  return lines.join('\n');
}
