import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadDocuments, loadFile } from '../../src/knowledge/loaders/index.js';
import type { SourceDocument } from '../../src/knowledge/types.js';
import { buildDocx, buildPdf } from './fixture-builders.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/knowledge');
const LOADERS = join(FIXTURES, 'loaders');
const MALFORMED = join(FIXTURES, 'malformed');

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'navigator-loaders-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

function byId(documents: SourceDocument[], id: string): SourceDocument {
  const doc = documents.find((d) => d.meta.id === id);
  if (!doc) throw new Error(`no document ${id} among ${documents.map((d) => d.meta.id).join(', ')}`);
  return doc;
}

describe('folder scan', () => {
  test('loads every supported file recursively and passes over _drafts, hidden files, README.md and other types', async () => {
    const { documents, problems } = await loadDocuments([LOADERS]);
    expect(problems).toEqual([]);
    expect(documents.map((d) => d.meta.id).sort()).toEqual(['clinical-safety', 'data-access-guide', 'page', 'plain-notes']);
  });

  test('a file named explicitly is loaded even when a folder scan would skip it', async () => {
    const { documents, problems } = await loadDocuments([join(LOADERS, '_draft.md')]);
    expect(documents).toEqual([]);
    expect(problems).toEqual([{ path: join(LOADERS, '_draft.md'), error: expect.stringContaining('no YAML front matter') }]);
  });

  test('a path that does not exist is a problem, not a crash', async () => {
    const missing = join(tmp, 'nowhere');
    const { documents, problems } = await loadDocuments([missing, join(LOADERS, 'plain-notes.txt')]);
    expect(documents.map((d) => d.meta.id)).toEqual(['plain-notes']);
    expect(problems).toEqual([{ path: missing, error: 'no such file or folder' }]);
  });
});

describe('Markdown', () => {
  test('front matter becomes meta and #/##/### headings become the section path', async () => {
    const doc = await loadFile(join(LOADERS, 'data-access-guide.md'));
    expect(doc.meta).toEqual({
      id: 'data-access-guide',
      title: 'Getting access to NHS data for research',
      publisher: 'Example Health Research Authority',
      url: 'https://example.org/guidance/data-access',
      published: '2021-03',
      kind: 'guidance',
      audience: 'both',
      reviewed: '2026-10-01',
      supersedes: 'old-data-access-guide',
      tags: ['data access', 'research'],
      sourcePath: join(LOADERS, 'data-access-guide.md'),
      format: 'markdown',
    });
    const top = 'Getting access to NHS data for research';
    expect(doc.sections.map((s) => s.headingPath)).toEqual([
      [top],
      [top, 'Summary'],
      [top, 'Before you apply'],
      [top, 'Before you apply', 'Lawful basis'],
      [top, 'Before you apply', 'Confidentiality'],
      [top, 'Questions this document answers'],
    ]);
    const confidentiality = doc.sections[4]!.text;
    expect(confidentiality).toContain('section 251 of the NHS Act 2006');
    expect(confidentiality).toContain('A deeper heading stays inside the text');
    expect(confidentiality).toContain('## Not a heading inside a code fence');
  });

  test('an unquoted year in published is read as that year', async () => {
    const doc = await loadFile(join(LOADERS, 'nested', 'clinical-safety.md'));
    expect(doc.meta.published).toBe('2018');
  });
});

describe('HTML', () => {
  test('h1–h3 become sections; scripts, styles, nav and footer are dropped; entities are decoded', async () => {
    const dir = join(tmp, 'html');
    await mkdir(dir, { recursive: true });
    await copyFile(join(LOADERS, 'page.html'), join(dir, 'page.html'));
    const doc = await loadFile(join(dir, 'page.html'));
    expect(doc.meta.title).toBe('Value sharing & NHS partnerships');
    expect(doc.meta.publisher).toBe('Unknown');
    expect(doc.meta.url).toBe(pathToFileURL(join(dir, 'page.html')).href);
    expect(doc.meta.published).toBe('undated');
    expect(doc.meta.format).toBe('html');
    const h1 = 'Value sharing in NHS partnerships';
    expect(doc.sections.map((s) => s.headingPath)).toEqual([[h1], [h1, 'Forms of value'], [h1, 'Forms of value', 'Equity']]);
    expect(doc.sections[0]!.text).toBe(
      'Partnerships should return fair value to the NHS \u2014 not only money but also access, discounts and shared IP.',
    );
    expect(doc.sections[1]!.text).toContain('Value can be direct (royalties, equity) or indirect.');
    expect(doc.sections[1]!.text).toContain('- Royalties on sales\n- Free or discounted products');
    expect(doc.sections[2]!.text).toContain("the company's growth");
    expect(doc.sections[2]!.text).toContain('Small print');
    const all = doc.sections.map((s) => s.text).join('\n');
    for (const furniture of ['SCRIPT TEXT', 'STYLE TEXT', 'NAV TEXT', 'FOOTER TEXT', 'font-family']) expect(all).not.toContain(furniture);
  });

  test('a sidecar <file>.meta.yaml supplies the metadata', async () => {
    const doc = await loadFile(join(LOADERS, 'page.html'));
    expect(doc.meta).toMatchObject({
      id: 'page',
      title: 'Value sharing: a practical guide',
      publisher: 'Example NHS Centre',
      url: 'https://example.org/value-sharing',
      published: '2023-07-12',
      kind: 'guidance',
      audience: 'nhs',
      format: 'html',
    });
  });
});

describe('plain text', () => {
  test('the first line is the title and the rest one section', async () => {
    const doc = await loadFile(join(LOADERS, 'plain-notes.txt'));
    expect(doc.meta.title).toBe('Notes on the national data opt-out');
    expect(doc.meta.format).toBe('text');
    expect(doc.sections).toEqual([
      {
        headingPath: [],
        text: 'The national data opt-out lets patients stop their confidential patient information being used for research and planning.\n\nIt does not apply to their own individual care.',
      },
    ]);
  });
});

describe('PDF', () => {
  test('text of every page and the title from the PDF metadata', async () => {
    const path = join(tmp, 'opt-out-leaflet.pdf');
    await writeFile(path, buildPdf({ title: 'Your data matters (leaflet)', lines: ['Your choice about data use.', 'You can opt out at any time.'] }));
    const doc = await loadFile(path);
    expect(doc.meta).toMatchObject({ id: 'opt-out-leaflet', title: 'Your data matters (leaflet)', publisher: 'Unknown', format: 'pdf' });
    expect(doc.sections).toEqual([{ headingPath: [], text: 'Your choice about data use.\nYou can opt out at any time.' }]);
  });

  test('without a title in its metadata the file name is the title; a sidecar overrides both', async () => {
    const path = join(tmp, 'untitled-report.pdf');
    await writeFile(path, buildPdf({ lines: ['Findings.'] }));
    expect((await loadFile(path)).meta.title).toBe('untitled-report');
    await writeFile(`${path}.meta.yaml`, 'title: "Annual report"\npublisher: "Example Trust"\nurl: "https://example.org/report.pdf"\npublished: "2024-05"\n');
    expect((await loadFile(path)).meta).toMatchObject({
      title: 'Annual report',
      publisher: 'Example Trust',
      url: 'https://example.org/report.pdf',
      published: '2024-05',
    });
  });
});

describe('DOCX', () => {
  test('Word headings become sections and the document title comes from its properties', async () => {
    const path = join(tmp, 'partnership-checklist.docx');
    await writeFile(
      path,
      await buildDocx({
        title: 'Partnership checklist',
        paragraphs: [
          { style: 'Heading1', text: 'Before signing' },
          { text: 'Agree the purpose of the data use & who benefits.' },
          { style: 'Heading2', text: 'Intellectual property' },
          { text: 'Record who owns the IP that the partnership creates.' },
        ],
      }),
    );
    const doc = await loadFile(path);
    expect(doc.meta).toMatchObject({ id: 'partnership-checklist', title: 'Partnership checklist', format: 'docx' });
    expect(doc.sections).toEqual([
      { headingPath: ['Before signing'], text: 'Agree the purpose of the data use & who benefits.' },
      { headingPath: ['Before signing', 'Intellectual property'], text: 'Record who owns the IP that the partnership creates.' },
    ]);
  });

  test('without a title property the first Heading 1 is the title', async () => {
    const path = join(tmp, 'no-title.docx');
    await writeFile(path, await buildDocx({ paragraphs: [{ style: 'Heading1', text: 'Exit plans' }, { text: 'Plan the exit on day one.' }] }));
    expect((await loadFile(path)).meta.title).toBe('Exit plans');
  });
});

describe('malformed files', () => {
  test('each broken file is reported by path with its reason and skipped; the rest load', async () => {
    const { documents, problems } = await loadDocuments([MALFORMED]);
    expect(documents.map((d) => d.meta.id)).toEqual(['good']);
    const reasons = Object.fromEntries(problems.map((p) => [p.path.slice(MALFORMED.length + 1), p.error]));
    expect(Object.keys(reasons).sort()).toEqual([
      'bad-sidecar.txt',
      'bad-yaml.md',
      'corrupt.docx',
      'corrupt.pdf',
      'missing-title.md',
      'no-front-matter.md',
    ]);
    expect(reasons['bad-yaml.md']).toMatch(/^front matter is not valid YAML: .*line \d+/);
    expect(reasons['missing-title.md']).toBe('invalid front matter: field "title" is required');
    expect(reasons['no-front-matter.md']).toMatch(/no YAML front matter/);
    expect(reasons['corrupt.pdf']).toMatch(/^not a readable PDF: /);
    expect(reasons['corrupt.docx']).toMatch(/^not a readable Word \(\.docx\) document: /);
    expect(reasons['bad-sidecar.txt']).toMatch(/bad-sidecar\.txt\.meta\.yaml is invalid: field "author" unknown field/);
  });

  test('an unreadable file is reported: symbolic links that point at each other', async () => {
    const dir = join(tmp, 'loop');
    await mkdir(dir, { recursive: true });
    await symlink(join(dir, 'b.md'), join(dir, 'a.md'));
    await symlink(join(dir, 'a.md'), join(dir, 'b.md'));
    const { documents, problems } = await loadDocuments([join(dir, 'a.md')]);
    expect(documents).toEqual([]);
    expect(problems).toEqual([{ path: join(dir, 'a.md'), error: 'cannot read the file: its symbolic links form a loop' }]);
  });

  test('an unreadable folder entry is reported: a broken symlink', async () => {
    const dir = join(tmp, 'with-broken-link');
    await mkdir(dir, { recursive: true });
    await symlink(join(tmp, 'gone.md'), join(dir, 'dangling.md'));
    await copyFile(join(MALFORMED, 'good.md'), join(dir, 'good.md'));
    const { documents, problems } = await loadDocuments([dir]);
    expect(documents.map((d) => d.meta.id)).toEqual(['good']);
    expect(problems).toEqual([{ path: join(dir, 'dangling.md'), error: 'no such file or folder' }]);
  });

  test('two files with the same id: the second is reported', async () => {
    const dir = join(tmp, 'dupes');
    await mkdir(join(dir, 'a'), { recursive: true });
    await mkdir(join(dir, 'b'), { recursive: true });
    await copyFile(join(MALFORMED, 'good.md'), join(dir, 'a', 'good.md'));
    await writeFile(join(dir, 'b', 'good.txt'), 'Another good\nSame id, different folder.');
    const { documents, problems } = await loadDocuments([dir]);
    expect(documents.map((d) => d.meta.sourcePath)).toEqual([join(dir, 'a', 'good.md')]);
    expect(problems).toEqual([{ path: join(dir, 'b', 'good.txt'), error: expect.stringContaining('duplicate document id "good"') }]);
  });
});
