import { describe, expect, test } from 'vitest';
import { documentStatus } from '../../src/knowledge/document-status.js';
import { describeIssues, isCalendarDate, splitFrontMatter, validateFrontMatter } from '../../src/knowledge/front-matter.js';

const VALID = {
  title: 'Five guiding principles',
  publisher: 'Department of Health and Social Care',
  url: 'https://www.gov.uk/government/publications/creating-the-right-framework-to-realise-the-benefits-of-health-data',
  published: '2019-07-15',
  kind: 'principles',
  audience: 'both',
  reviewed: '2026-11-21',
};

function problems(data: Record<string, unknown>): string {
  const result = validateFrontMatter(data);
  return result.ok ? 'ok' : describeIssues(result.issues);
}

describe('front matter schema', () => {
  test('accepts a complete entry and every published form', () => {
    for (const published of ['2019-07-15', '2019-07', '2019', 'undated', 2019]) expect(problems({ ...VALID, published })).toBe('ok');
    const result = validateFrontMatter({ ...VALID, supersedes: 'old-doc', superseded_by: 'new-doc', tags: ['ig'] });
    expect(result.ok && result.value).toMatchObject({ supersedes: 'old-doc', superseded_by: 'new-doc', tags: ['ig'] });
  });

  test('names each missing field', () => {
    for (const field of ['title', 'publisher', 'url', 'published', 'kind', 'audience', 'reviewed']) {
      const { [field]: _dropped, ...rest } = VALID as Record<string, unknown>;
      expect(problems(rest)).toBe(`field "${field}" is required`);
    }
  });

  test('rejects unknown keys, impossible dates, non-http urls and values outside the lists', () => {
    expect(problems({ ...VALID, supersededBy: 'x' })).toMatch(/^field "supersededBy" unknown field/);
    expect(problems({ ...VALID, published: '2023-02-29' })).toMatch(/^field "published" must be YYYY-MM-DD/);
    expect(problems({ ...VALID, published: '2023-13' })).toMatch(/^field "published"/);
    expect(problems({ ...VALID, published: '15/07/2019' })).toMatch(/^field "published"/);
    expect(problems({ ...VALID, reviewed: '2026-11' })).toBe('field "reviewed" must be a real date written YYYY-MM-DD');
    expect(problems({ ...VALID, url: 'ftp://example.org/file' })).toBe('field "url" must be an http:// or https:// URL');
    expect(problems({ ...VALID, url: 'www.gov.uk/page' })).toBe('field "url" must be an http:// or https:// URL');
    expect(problems({ ...VALID, kind: 'Guidance' })).toMatch(/^field "kind" must be one of/);
    expect(problems({ ...VALID, audience: 'public' })).toBe('field "audience" must be one of nhs, industry, both');
    expect(problems({ ...VALID, title: '   ' })).toBe('field "title" must not be empty');
    expect(problems({ ...VALID, superseded_by: 'two words' })).toMatch(/^field "superseded_by" must be a document id/);
  });

  test('a front matter that is not a mapping', () => {
    expect(problems(['a', 'b'] as unknown as Record<string, unknown>)).toBe('front matter must be a YAML mapping of field: value');
  });

  test('calendar dates', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    expect(isCalendarDate('2023-02-29')).toBe(false);
    expect(isCalendarDate('2023-04-31')).toBe(false);
    expect(isCalendarDate('2023-4-1')).toBe(false);
  });

  test('splitFrontMatter handles CRLF and a byte-order mark, and leaves files without a block alone', () => {
    expect(splitFrontMatter('\uFEFF---\r\ntitle: x\r\n---\r\n## A\r\ntext')).toEqual({ yaml: 'title: x\n', body: '## A\ntext' });
    expect(splitFrontMatter('## A\ntext')).toEqual({ yaml: null, body: '## A\ntext' });
    expect(splitFrontMatter('---\ntitle: never closed\n## A')).toEqual({ yaml: null, body: '---\ntitle: never closed\n## A' });
  });
});

describe('documentStatus', () => {
  const now = new Date('2026-11-21T09:00:00Z');
  test('superseded wins over everything', () => {
    expect(documentStatus({ supersededBy: 'newer', reviewed: '2026-11-01' }, now)).toBe('superseded');
  });
  test('stale only when reviewed more than 24 months ago', () => {
    expect(documentStatus({ reviewed: '2024-11-21' }, now)).toBe('current');
    expect(documentStatus({ reviewed: '2024-11-20' }, now)).toBe('stale');
    expect(documentStatus({ reviewed: '2026-01-01' }, now)).toBe('current');
  });
  test('a document without a review date is current', () => {
    expect(documentStatus({}, now)).toBe('current');
  });
});
