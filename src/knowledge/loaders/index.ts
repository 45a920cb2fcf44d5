// Loads files and folders into SourceDocuments. A file that cannot be loaded is reported with its
// reason and skipped, so one broken document never stops the rest of the corpus from loading.
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import type { DocumentFormat, LoadProblem, LoadResult, SourceDocument } from '../types.js';
import { extractDocx } from './docx-loader.js';
import { htmlToSections } from './html-loader.js';
import { LoadError } from './load-error.js';
import { documentIdFor, loadMarkdown } from './markdown-loader.js';
import { extractPdf } from './pdf-loader.js';
import { metaFor } from './sidecar.js';
import { textContent } from './text-loader.js';

export { LoadError } from './load-error.js';
export { documentIdFor, markdownSections } from './markdown-loader.js';
export { htmlToSections } from './html-loader.js';
export { isEmptySection } from './sections.js';

const FORMATS: Record<string, DocumentFormat> = {
  '.md': 'markdown',
  '.markdown': 'markdown',
  '.txt': 'text',
  '.html': 'html',
  '.htm': 'html',
  '.pdf': 'pdf',
  '.docx': 'docx',
};

export interface LoadOptions {
  /** Files larger than this are reported and skipped (default 50 MB). */
  maxBytes?: number;
}

export function formatFor(path: string): DocumentFormat | undefined {
  return FORMATS[extname(path).toLowerCase()];
}

/** Whether a folder scan passes over this entry: hidden, `_`-prefixed, README.md, dependencies. */
export function isIgnoredInFolderScan(name: string): boolean {
  return name.startsWith('.') || name.startsWith('_') || name.toLowerCase() === 'readme.md' || name === 'node_modules';
}

/** Files or folders (recursively), each file dispatched by its extension. */
export async function loadDocuments(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const problems: LoadProblem[] = [];
  const files = await collectFiles(paths, problems);
  const documents: SourceDocument[] = [];
  const seenIds = new Map<string, string>();
  for (const file of files) {
    try {
      const document = await loadFile(file, options);
      const earlier = seenIds.get(document.meta.id);
      if (earlier !== undefined) {
        throw new LoadError(`duplicate document id "${document.meta.id}": ${earlier} has the same file name`);
      }
      seenIds.set(document.meta.id, file);
      documents.push(document);
    } catch (err) {
      problems.push({ path: file, error: reasonFor(err) });
    }
  }
  return { documents, problems };
}

/** Loads one file whatever its name; throws LoadError with the reason it cannot. */
export async function loadFile(path: string, options: LoadOptions = {}): Promise<SourceDocument> {
  const format = formatFor(path);
  if (!format) throw new LoadError(`unsupported file type "${extname(path) || basename(path)}" (expected ${Object.keys(FORMATS).join(', ')})`);
  const info = await stat(path);
  const maxBytes = options.maxBytes ?? 50 * 1024 * 1024;
  if (info.size > maxBytes) throw new LoadError(`file is ${info.size} bytes, over the ${maxBytes}-byte limit`);
  const data = await readFile(path);
  switch (format) {
    case 'markdown':
      return loadMarkdown(path, data.toString('utf8'));
    case 'text': {
      const { title, sections } = textContent(data.toString('utf8'));
      return { meta: await metaFor(path, format, title), sections };
    }
    case 'html': {
      const { title, sections } = htmlToSections(data.toString('utf8'));
      return { meta: await metaFor(path, format, title), sections };
    }
    case 'docx': {
      const { title, sections } = await extractDocx(data);
      return { meta: await metaFor(path, format, title), sections };
    }
    case 'pdf': {
      const { title, text } = await extractPdf(data);
      return { meta: await metaFor(path, format, title), sections: [{ headingPath: [], text }] };
    }
  }
}

async function collectFiles(paths: string[], problems: LoadProblem[]): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const add = async (file: string) => {
    const real = await realpath(file).catch(() => file);
    if (seen.has(real)) return;
    seen.add(real);
    files.push(file);
  };
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return; // a symlink loop or the same folder given twice
    seen.add(real);
    let entries;
    try {
      entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    } catch (err) {
      problems.push({ path: dir, error: reasonFor(err) });
      return;
    }
    for (const entry of entries) {
      if (isIgnoredInFolderScan(entry.name)) continue;
      const full = join(dir, entry.name);
      const isDir = entry.isDirectory() || (entry.isSymbolicLink() && (await stat(full).catch(() => null))?.isDirectory());
      if (isDir) await walk(full);
      else if (formatFor(entry.name)) await add(full);
    }
  };
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) await walk(path);
      else await add(path);
    } catch (err) {
      problems.push({ path, error: reasonFor(err) });
    }
  }
  return files;
}

function reasonFor(err: unknown): string {
  if (err instanceof LoadError) return err.message;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read the file: permission denied';
  if (code === 'EISDIR') return 'is a folder, not a file';
  if (code === 'ELOOP') return 'cannot read the file: its symbolic links form a loop';
  return `cannot load: ${err instanceof Error ? err.message : String(err)}`;
}
