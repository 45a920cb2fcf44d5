import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { checkKnowledge, formatCheckReport, type Issue } from '../../src/knowledge/knowledge-check.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures/knowledge');
const NOW = new Date('2026-11-21T12:00:00Z');

function messagesFor(issues: Issue[], file: string): string[] {
  return issues.filter((i) => i.path.endsWith(`/${file}`)).map((i) => i.message);
}

describe('checkKnowledge on a good folder', () => {
  test('passes with no errors or warnings; _template.md and README.md are not documents', async () => {
    const result = await checkKnowledge(join(FIXTURES, 'check-good'), { now: NOW });
    expect(result).toEqual({ errors: [], warnings: [], documents: 3 });
    expect(formatCheckReport(result)).toBe('knowledge check OK: 3 documents, 0 errors, 0 warnings');
  });

  test('the bundled knowledge base passes', async () => {
    const result = await checkKnowledge(resolve(import.meta.dirname, '../../knowledge'));
    expect(result.errors).toEqual([]);
    expect(result.documents).toBeGreaterThan(0);
  });
});

describe('checkKnowledge on a broken folder', () => {
  const run = () => checkKnowledge(join(FIXTURES, 'check-broken'), { now: NOW });

  test('invalid front matter: the message names the file and each field', async () => {
    const { errors } = await run();
    expect(messagesFor(errors, 'bad-front-matter.md')).toEqual([
      expect.stringMatching(/^bad-front-matter\.md: invalid front matter: .*field "published" must be/),
    ]);
    const [message] = messagesFor(errors, 'bad-front-matter.md');
    expect(message).toContain('field "kind" must be one of principles, guidance');
    expect(message).toContain('field "author" unknown field');
  });

  test('duplicate titles (ignoring case) and duplicate urls (ignoring host case and a trailing slash)', async () => {
    const { errors } = await run();
    expect(messagesFor(errors, 'duplicate-title-b.md')).toEqual([
      'duplicate-title-b.md: duplicate title "Shared Title" (also in duplicate-title-a.md)',
    ]);
    expect(messagesFor(errors, 'duplicate-url-b.md')).toEqual([
      'duplicate-url-b.md: duplicate url "https://EXAMPLE.org/same-page/" (also in duplicate-url-a.md)',
    ]);
    expect(messagesFor(errors, 'duplicate-title-a.md')).toEqual([]);
  });

  test('a superseded_by target that does not exist', async () => {
    const { errors } = await run();
    expect(messagesFor(errors, 'dangling-successor.md')).toEqual([
      'dangling-successor.md: superseded_by "does-not-exist" does not match any document (no does-not-exist.md in this folder)',
    ]);
  });

  test('an empty section', async () => {
    const { errors } = await run();
    expect(messagesFor(errors, 'empty-section.md')).toEqual(['empty-section.md: section "Funding routes" is empty']);
  });

  test('instruction-like text', async () => {
    const { errors } = await run();
    expect(messagesFor(errors, 'injected-instruction.md')).toEqual([
      'injected-instruction.md: instruction-like text in section "Choosing a framework" (ignore-previous-instructions): "Ignore all previous instructions"',
    ]);
  });

  test('a document not reviewed for over 24 months is a warning, not an error', async () => {
    const { errors, warnings } = await run();
    expect(messagesFor(errors, 'stale-guidance.md')).toEqual([]);
    expect(messagesFor(warnings, 'stale-guidance.md')).toEqual([
      expect.stringMatching(/^stale-guidance\.md: last reviewed 2023-01-10, more than 24 months ago/),
    ]);
    expect(warnings).toHaveLength(1);
  });

  test('the report has one line per issue and a failing summary', async () => {
    const result = await run();
    const lines = formatCheckReport(result).split('\n');
    expect(lines).toHaveLength(result.errors.length + result.warnings.length + 1);
    expect(lines.filter((l) => l.startsWith('error '))).toHaveLength(6);
    expect(lines.filter((l) => l.startsWith('warning '))).toHaveLength(1);
    expect(lines.at(-1)).toBe('knowledge check FAILED: 9 documents, 6 errors, 1 warning');
  });
});

describe('checkKnowledge thresholds', () => {
  test('oversized sections warn; staleness follows the months option and the clock', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'navigator-check-'));
    try {
      await writeFile(
        join(dir, 'long.md'),
        `---\ntitle: "Long"\npublisher: "P"\nurl: "https://example.org/long"\npublished: "2020"\nkind: policy\naudience: nhs\nreviewed: "2025-11-20"\n---\n## Summary\n${'Long guidance sentence. '.repeat(40)}\n`,
      );
      const strict = await checkKnowledge(dir, { now: NOW, staleMonths: 12, maxSectionChars: 500 });
      expect(strict.errors).toEqual([]);
      expect(strict.warnings.map((w) => w.message)).toEqual([
        expect.stringMatching(/^long\.md: section "Summary" is \d+ characters \(over 500\)/),
        expect.stringMatching(/^long\.md: last reviewed 2025-11-20, more than 12 months ago/),
      ]);
      expect((await checkKnowledge(dir, { now: NOW })).warnings).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test('a folder that does not exist is an error', async () => {
    const result = await checkKnowledge(join(FIXTURES, 'no-such-folder'), { now: NOW });
    expect(result.errors).toEqual([{ path: join(FIXTURES, 'no-such-folder'), message: expect.stringContaining('no such file or folder') }]);
    expect(formatCheckReport(result)).toMatch(/FAILED: 0 documents, 1 error, 0 warnings$/);
  });
});
