// The knowledge base's front matter, validated strictly so a typo in a field name or a date
// stops `knowledge check` instead of silently dropping a document from citations.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { DocumentMeta } from './types.js';

export const DOCUMENT_KINDS = ['principles', 'guidance', 'regulation', 'case-study', 'policy', 'service'] as const;
export const AUDIENCES = ['nhs', 'industry', 'both'] as const;

/** True for a real calendar date written YYYY-MM-DD (rejects 2023-02-30). */
export function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isPublishedDate(value: string): boolean {
  if (value === 'undated' || /^\d{4}$/.test(value)) return true;
  const month = /^\d{4}-(\d{2})$/.exec(value);
  if (month) return Number(month[1]) >= 1 && Number(month[1]) <= 12;
  return isCalendarDate(value);
}

const text = (what: string) =>
  z
    .string({ error: (iss) => (iss.input === undefined ? 'is required' : `must be text (${what})`) })
    .trim()
    .min(1, { error: 'must not be empty' });

// YAML reads an unquoted year (published: 2019) as a number; accept it as the year it is.
const yearAsText = z.preprocess((v) => (typeof v === 'number' && Number.isInteger(v) ? String(v) : v), z.unknown());

const documentId = z
  .string({ error: 'must be a document id (a file name without .md)' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'must be a document id (a file name without .md)' });

const fields = {
  title: text('the document title'),
  publisher: text('the publishing organisation'),
  url: text('an http(s) link').pipe(
    z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }),
  ),
  published: yearAsText.pipe(
    text('a date').refine(isPublishedDate, { error: 'must be YYYY-MM-DD, YYYY-MM, YYYY or "undated" (a real date)' }),
  ),
  kind: z.enum(DOCUMENT_KINDS, {
    error: (iss) => (iss.input === undefined ? 'is required' : `must be one of ${DOCUMENT_KINDS.join(', ')}`),
  }),
  audience: z.enum(AUDIENCES, {
    error: (iss) => (iss.input === undefined ? 'is required' : `must be one of ${AUDIENCES.join(', ')}`),
  }),
  reviewed: text('a date').refine(isCalendarDate, { error: 'must be a real date written YYYY-MM-DD' }),
  supersedes: documentId.optional(),
  superseded_by: documentId.optional(),
  tags: z.array(z.string().trim().min(1), { error: 'must be a list of words' }).optional(),
};

/** Markdown documents in the knowledge base: every required field present, nothing unknown. */
export const frontMatterSchema = z.strictObject(fields);
export type FrontMatter = z.infer<typeof frontMatterSchema>;

/** A `<file>.meta.yaml` beside a PDF, DOCX, HTML or text file: the same fields, all optional. */
export const sidecarSchema = z.strictObject(fields).partial();
export type SidecarMeta = z.infer<typeof sidecarSchema>;

export const FRONT_MATTER_FIELDS = Object.keys(fields);

export interface FieldIssue {
  /** The front-matter field at fault, or "" for the block as a whole. */
  field: string;
  message: string;
}

export type Validated<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] };

export function validateFrontMatter(data: unknown): Validated<FrontMatter> {
  return validate(frontMatterSchema, data);
}

export function validateSidecar(data: unknown): Validated<SidecarMeta> {
  return validate(sidecarSchema, data ?? {});
}

function validate<T>(schema: z.ZodType<T>, data: unknown): Validated<T> {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ field: '', message: 'front matter must be a YAML mapping of field: value' }] };
  }
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  const issues: FieldIssue[] = [];
  for (const issue of result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ field: key, message: `unknown field (allowed: ${FRONT_MATTER_FIELDS.join(', ')})` });
      }
    } else {
      issues.push({ field: issue.path.map(String).join('.'), message: issue.message });
    }
  }
  return { ok: false, issues };
}

/** One line naming each field and what is wrong with it. */
export function describeIssues(issues: FieldIssue[]): string {
  return issues.map((i) => (i.field ? `field "${i.field}" ${i.message}` : i.message)).join('; ');
}

export interface SplitSource {
  /** The YAML between the opening and closing `---`, or null when the file has none. */
  yaml: string | null;
  body: string;
}

/** Separates a leading `---` YAML block from the Markdown body. */
export function splitFrontMatter(source: string): SplitSource {
  const normalised = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  if (!normalised.startsWith('---\n')) return { yaml: null, body: normalised };
  const end = /^(?:---|\.\.\.)[ \t]*$/m;
  const rest = normalised.slice(4);
  const close = end.exec(rest);
  if (!close) return { yaml: null, body: normalised };
  return { yaml: rest.slice(0, close.index), body: rest.slice(close.index + close[0].length).replace(/^\n/, '') };
}

/** Parses YAML text, turning a syntax error into a one-line reason with its line number. */
export function parseYamlBlock(yaml: string): { ok: true; data: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, data: parseYaml(yaml, { prettyErrors: true, uniqueKeys: true }) };
  } catch (err) {
    const message = err instanceof Error ? err.message.split('\n')[0] ?? err.message : String(err);
    return { ok: false, error: `invalid YAML: ${message}` };
  }
}

/** The DocumentMeta fields a validated front matter or sidecar supplies. */
export function metaFields(fm: SidecarMeta): Partial<DocumentMeta> {
  const out: Partial<DocumentMeta> = {};
  if (fm.title !== undefined) out.title = fm.title;
  if (fm.publisher !== undefined) out.publisher = fm.publisher;
  if (fm.url !== undefined) out.url = fm.url;
  if (fm.published !== undefined) out.published = fm.published;
  if (fm.kind !== undefined) out.kind = fm.kind;
  if (fm.audience !== undefined) out.audience = fm.audience;
  if (fm.reviewed !== undefined) out.reviewed = fm.reviewed;
  if (fm.supersedes !== undefined) out.supersedes = fm.supersedes;
  if (fm.superseded_by !== undefined) out.supersededBy = fm.superseded_by;
  if (fm.tags !== undefined) out.tags = fm.tags;
  return out;
}

// Citations ask for a document's status beside its front matter; the logic lives on its own.
export { documentStatus } from './document-status.js';
