// The escalation modal: what it offers, and how a submission is read and validated.
import { describe, expect, it } from 'vitest';
import { escalationView, parseEscalation, type ViewStateValues } from '../../../src/channels/slack/escalation-form.js';

function values(overrides: Partial<Record<string, unknown>> = {}): ViewStateValues {
  const base: Record<string, unknown> = {
    summary: { type: 'plain_text_input', value: 'Please review the data-sharing agreement before we sign.' },
    category: { type: 'static_select', selected_option: { value: 'legal' } },
    org_type: { type: 'static_select', selected_option: { value: 'startup_sme' } },
    org_name: { type: 'plain_text_input', value: '  Acme Health Ltd ' },
    urgency: { type: 'static_select', selected_option: { value: 'urgent' } },
    deadline: { type: 'datepicker', selected_date: '2030-01-31' },
    details: { type: 'plain_text_input', value: null },
    consent: { type: 'checkboxes', selected_options: [] },
    ...overrides,
  };
  return Object.fromEntries(Object.entries(base).map(([k, v]) => [k, { value: v }])) as ViewStateValues;
}

const today = new Date('2026-11-21T10:00:00Z');

describe('parseEscalation', () => {
  it('reads a complete submission', () => {
    expect(parseEscalation(values(), today)).toEqual({
      ok: true,
      value: {
        summary: 'Please review the data-sharing agreement before we sign.',
        details: '',
        category: 'legal',
        orgType: 'startup_sme',
        orgName: 'Acme Health Ltd',
        priority: 'urgent',
        deadline: '2030-01-31',
        consentToShare: false,
      },
    });
  });

  it('reads consent from the checkbox', () => {
    const parsed = parseEscalation(values({ consent: { type: 'checkboxes', selected_options: [{ value: 'share' }] } }), today);
    expect(parsed.ok && parsed.value.consentToShare).toBe(true);
  });

  it('returns one error per bad field, keyed by block id', () => {
    const parsed = parseEscalation(
      values({
        summary: { value: 'help' },
        category: { selected_option: null },
        org_type: { selected_option: { value: 'pirate_ship' } },
        org_name: { value: '   ' },
        deadline: { selected_date: '2026-11-20' },
      }),
      today,
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(Object.keys(parsed.errors).sort()).toEqual(['category', 'deadline', 'org_name', 'org_type', 'summary']);
  });

  it('defaults the urgency to normal and accepts today as a deadline', () => {
    const parsed = parseEscalation(values({ urgency: { selected_option: null }, deadline: { selected_date: '2026-11-21' } }), today);
    expect(parsed).toMatchObject({ ok: true, value: { priority: 'normal', deadline: '2026-11-21' } });
  });
});

describe('escalationView', () => {
  it('has every field the support team needs, with block ids the parser reads', () => {
    const view = escalationView({ channel: 'C1', threadTs: '1.2', category: 'ig_dpia', question: 'Do we need a DPIA?' });
    const ids = view.blocks.map((b) => b.block_id).filter(Boolean);
    expect(ids).toEqual(['summary', 'category', 'org_type', 'org_name', 'urgency', 'deadline', 'details', 'consent']);
    expect(view.callback_id).toBe('escalation_form');
    expect(JSON.parse(view.private_metadata!)).toEqual({ ch: 'C1', th: '1.2' });
    expect(JSON.stringify(view)).toContain('"initial_value":"Do we need a DPIA?"');
    expect(JSON.stringify(view)).toContain('"initial_option":{"text":{"type":"plain_text","text":"Information governance and DPIA"},"value":"ig_dpia"}');
  });

  it('respects Slack’s text limits', () => {
    const view = escalationView({ question: 'x'.repeat(5000) });
    expect(view.title.text.length).toBeLessThanOrEqual(24);
    expect(view.submit!.text.length).toBeLessThanOrEqual(24);
    expect(JSON.stringify(view)).not.toContain('x'.repeat(2001));
  });
});
