// The dashboard's one escaping path: the html tag escapes every interpolation it did not build.
import { describe, expect, test } from 'vitest';
import { escapeHtml, html, safeUrl, truncate } from '../../src/triage/html.js';
import { prefillSummary } from '../../src/triage/web-escalation-routes.js';

describe('html escaping', () => {
  test('escapeHtml covers element content and quoted attributes', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  test('the html tag escapes values and arrays but keeps fragments it built', () => {
    const inner = html`<b>${'<i>'}</b>`;
    const out = html`<p title="${'"quoted"'}">${inner}${['<x>', html`<y>`]}${null}${false}${undefined}</p>`;
    expect(out.value).toBe('<p title="&quot;quoted&quot;"><b>&lt;i&gt;</b>&lt;x&gt;<y></p>');
  });

  test('safeUrl lets only http(s) through', () => {
    expect(safeUrl('https://www.gov.uk/guidance')).toBe('https://www.gov.uk/guidance');
    expect(safeUrl('javascript:alert(1)')).toBe('#');
    expect(safeUrl(' JaVaScRiPt:alert(1)')).toBe('#');
    expect(safeUrl('data:text/html,<script>')).toBe('#');
    expect(safeUrl('/relative')).toBe('#');
    expect(safeUrl(undefined)).toBe('#');
  });

  test('truncate collapses whitespace and marks the cut', () => {
    expect(truncate('a  b\n c', 10)).toBe('a b c');
    expect(truncate('abcdefghij', 5)).toBe('abcd…');
  });

  test('the prefill summary restates the first and last question', () => {
    expect(prefillSummary([])).toBe('');
    expect(prefillSummary(['What is a DPIA?'])).toBe('Asked: "What is a DPIA?"');
    expect(prefillSummary(['First?', 'middle', 'Last?'])).toBe('Asked: "First?"; then: "Last?"');
  });
});
