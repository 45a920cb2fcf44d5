// Markdown with YAML front matter: the knowledge base's own format.
import { basename } from 'node:path';
import { describeIssues, metaFields, parseYamlBlock, splitFrontMatter, validateFrontMatter } from '../front-matter.js';
import type { Section, SourceDocument } from '../types.js';
import { LoadError } from './load-error.js';
import { SectionBuilder } from './sections.js';

const HEADING = /^(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/** Splits a Markdown body into sections along `#`, `##` and `###` headings; deeper ones stay as text. */
export function markdownSections(body: string): Section[] {
  const builder = new SectionBuilder();
  let fence: string | null = null;
  for (const line of body.replace(/\r\n?/g, '\n').split('\n')) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch?.[1]) {
      const marker = fenceMatch[1];
      if (fence === null) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      builder.text(line);
      continue;
    }
    const heading = fence === null ? HEADING.exec(line) : null;
    if (heading?.[1] && heading[2] !== undefined && heading[1].length <= 3) {
      builder.heading(heading[1].length, heading[2]);
    } else if (heading?.[2] !== undefined) {
      builder.text(heading[2]);
    } else {
      builder.text(line);
    }
  }
  return builder.finish();
}

export function loadMarkdown(path: string, source: string): SourceDocument {
  const { yaml, body } = splitFrontMatter(source);
  if (yaml === null) throw new LoadError('no YAML front matter (the file must start with a --- block)');
  const parsed = parseYamlBlock(yaml);
  if (!parsed.ok) throw new LoadError(`front matter is not valid YAML: ${parsed.error.replace(/^invalid YAML: /, '')}`);
  const fm = validateFrontMatter(parsed.data);
  if (!fm.ok) throw new LoadError(`invalid front matter: ${describeIssues(fm.issues)}`);
  const fields = metaFields(fm.value);
  return {
    meta: {
      id: documentIdFor(path),
      title: fm.value.title,
      publisher: fm.value.publisher,
      url: fm.value.url,
      published: fm.value.published,
      ...fields,
      sourcePath: path,
      format: 'markdown',
    },
    sections: markdownSections(body),
  };
}

/** A document's id is its file name without the extension (`foo.md` → `foo`). */
export function documentIdFor(path: string): string {
  return basename(path).replace(/\.[^.]+$/, '');
}
