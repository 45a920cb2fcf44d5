import { describe, expect, it } from 'vitest';
import { PII_KINDS, PII_NOTICE, piiNotice, redactDeep, redactPii } from '../../src/guard/index.js';
import { loadPiiCorpus } from '../../src/guard/pii-metrics.js';

const CORPUS = new URL('../fixtures/pii/labelled.jsonl', import.meta.url).pathname;

describe('redactPii', () => {
  it('replaces each finding with its typed placeholder and counts them', () => {
    const r = redactPii(
      'my patient, Mrs Jane Doe, NHS 943 476 5919, DOB 12/03/1984, LS6 2QT, 07700 900123, jane@gmail.com, NI JG103759A, MRN 4821937',
    );
    expect(r.text).toBe(
      'my patient, [patient name], NHS [NHS number], DOB [date of birth], [postcode], [phone number], [email], NI [NI number], MRN [hospital number]',
    );
    expect(r.redactions).toBe(8);
    expect(r.kinds).toEqual([
      'patient_name', 'nhs_number', 'date_of_birth', 'postcode', 'phone', 'email', 'ni_number', 'hospital_number',
    ]);
  });

  it('returns the text unchanged, with no kinds, when nothing is found', () => {
    const text = 'How do we complete a DPIA for a DCB0129 hazard log?';
    expect(redactPii(text)).toEqual({ text, redactions: 0, kinds: [] });
  });

  it('lists each kind once however often it appears', () => {
    const r = redactPii('NHS 943 476 5919 and 401 023 2137');
    expect(r.redactions).toBe(2);
    expect(r.kinds).toEqual(['nhs_number']);
  });

  it('passes the context through', () => {
    const text = 'Telephone the HRA switchboard on 020 7972 2545.';
    expect(redactPii(text).redactions).toBe(1);
    expect(redactPii(text, { context: 'knowledge' }).redactions).toBe(0);
  });

  it('is idempotent on hand-picked text, including placeholders next to cues', () => {
    const samples = [
      'DOB [date of birth] 12/03/2024 was the clinic date',
      'Pt seen 12/01/2023, DOB 14/07/1952',
      'patient [patient name] (patient)',
      'MRN [hospital number], hospital number [hospital number]',
    ];
    for (const s of samples) {
      const once = redactPii(s);
      const twice = redactPii(once.text);
      expect(twice.text, s).toBe(once.text);
      expect(twice.redactions, s).toBe(0);
    }
  });

  it('is idempotent on every line of the labelled corpus', async () => {
    const cases = await loadPiiCorpus(CORPUS);
    for (const c of cases) {
      const once = redactPii(c.text, { context: c.context });
      const twice = redactPii(once.text, { context: c.context });
      expect(twice.text, c.text).toBe(once.text);
      expect(twice.redactions, c.text).toBe(0);
    }
  });
});

describe('redactDeep', () => {
  it('redacts every string in nested objects and arrays, leaving keys and other values', () => {
    const form = {
      summary: 'Help with patient John Smith, NHS 943 476 5919',
      contact: { email: 'jo@trust.nhs.uk', phone: '07700 900123', consent: true, attempts: 2, note: null },
      conversation: [
        { role: 'user', text: 'DOB 12/03/1984' },
        { role: 'assistant', text: 'Please do not share patient details.' },
      ],
      tags: ['ig', 'SW1A 2AA'],
    };
    const r = redactDeep(form);
    expect(r.value).toEqual({
      summary: 'Help with patient [patient name], NHS [NHS number]',
      contact: { email: '[email]', phone: '[phone number]', consent: true, attempts: 2, note: null },
      conversation: [
        { role: 'user', text: 'DOB [date of birth]' },
        { role: 'assistant', text: 'Please do not share patient details.' },
      ],
      tags: ['ig', '[postcode]'],
    });
    expect(r.redactions).toBe(6);
    expect(new Set(r.kinds)).toEqual(new Set(['patient_name', 'nhs_number', 'email', 'phone', 'date_of_birth', 'postcode']));
  });

  it('does not change the input', () => {
    const input = { text: 'NHS 943 476 5919', list: ['jo@nhs.net'] };
    const before = structuredClone(input);
    redactDeep(input);
    expect(input).toEqual(before);
  });

  it('handles a bare string, primitives and cycles', () => {
    expect(redactDeep('MRN 4821937').value).toBe('MRN [hospital number]');
    expect(redactDeep(42)).toEqual({ value: 42, redactions: 0, kinds: [] });
    const a: Record<string, unknown> = { note: 'jo@nhs.net' };
    a.self = a;
    const r = redactDeep(a);
    const out = r.value as Record<string, unknown>;
    expect(out.note).toBe('[email]');
    expect(out.self).toBe(out);
    expect(r.redactions).toBe(1);
  });

  it('leaves class instances such as Dates untouched', () => {
    const when = new Date('2026-01-02T03:04:05Z');
    const r = redactDeep({ when, text: 'DOB 12/03/1984' });
    expect(r.value.when).toBe(when);
    expect(r.value.text).toBe('DOB [date of birth]');
  });
});

describe('piiNotice', () => {
  it('names the kinds in plain words in one kind sentence', () => {
    expect(piiNotice(['nhs_number', 'postcode'])).toBe(
      "I removed what looked like patient-identifiable information (NHS number and postcode): please don't share patient details here.",
    );
    expect(piiNotice(['email', 'phone', 'date_of_birth'])).toContain('(email address, phone number and date of birth)');
  });

  it('falls back to the generic notice and ignores repeats', () => {
    expect(piiNotice([])).toBe(PII_NOTICE);
    expect(piiNotice(['ni_number', 'ni_number'])).toContain('(National Insurance number)');
  });

  it('has plain words for every kind and stays one short sentence', () => {
    const all = piiNotice([...PII_KINDS]);
    expect(all).not.toMatch(/_/);
    expect(all.split(/[.!?](\s|$)/).filter((s) => s && s.trim()).length).toBe(1);
    expect(all.length).toBeLessThan(260);
  });
});
