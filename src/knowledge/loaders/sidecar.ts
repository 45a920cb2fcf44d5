// Metadata for files that cannot carry front matter: an optional `<file>.meta.yaml` beside them.
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
import { describeIssues, metaFields, parseYamlBlock, validateSidecar } from '../front-matter.js';
import type { DocumentFormat, DocumentMeta } from '../types.js';
import { LoadError } from './load-error.js';
import { documentIdFor } from './markdown-loader.js';

export function sidecarPathFor(path: string): string {
  return `${path}.meta.yaml`;
}

async function readSidecar(path: string): Promise<Partial<DocumentMeta>> {
  const sidecar = sidecarPathFor(path);
  let yaml: string;
  try {
    yaml = await readFile(sidecar, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new LoadError(`cannot read its metadata file ${sidecar}: ${(err as Error).message}`, { cause: err });
  }
  const parsed = parseYamlBlock(yaml);
  if (!parsed.ok) throw new LoadError(`metadata file ${sidecar} is not valid YAML: ${parsed.error.replace(/^invalid YAML: /, '')}`);
  const result = validateSidecar(parsed.data);
  if (!result.ok) throw new LoadError(`metadata file ${sidecar} is invalid: ${describeIssues(result.issues)}`);
  return metaFields(result.value);
}

/** Sidecar fields win; otherwise the document's own title, publisher "Unknown", a file:// link, "undated". */
export async function metaFor(path: string, format: DocumentFormat, documentTitle: string | undefined): Promise<DocumentMeta> {
  const sidecar = await readSidecar(path);
  return {
    id: documentIdFor(path),
    title: documentTitle?.trim() || documentIdFor(path),
    publisher: 'Unknown',
    url: pathToFileURL(path).href,
    published: 'undated',
    ...sidecar,
    sourcePath: path,
    format,
  };
}
