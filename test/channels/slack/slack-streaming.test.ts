// With a language model configured (a local server speaking the OpenAI API), answers stream into
// Slack (chat.startStream … stopStream) and the final message carries the full Block Kit answer;
// where streaming is unavailable a placeholder is updated instead. A long Markdown answer is
// converted to mrkdwn and split within Slack's limits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSlackApi, FAKE_BOT_USER_ID, type SlackCall } from '../../support/fake-slack-api.js';
import type { TestServer } from '../../support/server-harness.js';
import { SlackDriver, eventFrom, type Json } from './slack-driver.js';
import { startSlackServer } from './slack-server.js';
import { SlowOpenAI } from './slow-openai.js';

const DHSC_URL =
  'https://www.gov.uk/government/publications/creating-the-right-framework-to-realise-the-benefits-of-health-data/creating-the-right-framework-to-realise-the-benefits-for-patients-and-the-nhs-where-data-underpins-innovation';

/** About 6,000 characters of Markdown: bold, links, bullets and numbered points, all citing [1]. */
const LONG_ANSWER = [
  'DHSC set out **five guiding principles** for NHS data partnerships [1].',
  '',
  ...Array.from({ length: 40 }, (_, i) =>
    i % 2 === 0
      ? `- Point ${i + 1}: partnerships must be **fair** to the NHS & patients, see [the principles](${DHSC_URL}) for detail [1].`
      : `${i + 1}. Numbered step ${i + 1} explains *transparency* obligations and how value is shared with the NHS over time [1].`,
  ),
  '',
  '_This is general information, not legal advice._',
].join('\n');

let fake: FakeSlackApi;
let llm: SlowOpenAI;
let server: TestServer;
let slack: SlackDriver;

beforeAll(async () => {
  fake = await new FakeSlackApi().start();
  // About twenty chunks 120 ms apart: the answer takes a couple of seconds to write, as a model's does.
  llm = await new SlowOpenAI(LONG_ANSWER, '{"route":"answer","category":"commercial"}').start();
  server = await startSlackServer(fake, { OPENAI_BASE_URL: llm.url, OPENAI_API_KEY: 'sk-test', OPENAI_MODEL: 'fake-model' });
  slack = new SlackDriver(server.url);
});

afterAll(async () => {
  await server?.shutdown();
  await llm?.stop();
  await fake?.stop();
});

const sections = (call: SlackCall): string[] =>
  ((call.params.blocks ?? []) as Json[]).filter((b) => b.type === 'section' && !String(b.text?.text).startsWith('*Sources*')).map((b) => String(b.text.text));

describe('streaming answers', () => {
  it('streams into the thread, then replaces the stream with the full answer split into sections', async () => {
    const ev = eventFrom('app_mention', { user: 'U0STREAM', text: `<@${FAKE_BOT_USER_ID}> What are the five guiding principles for data partnerships?` });
    expect((await slack.sendEvent(ev)).status).toBe(200);
    const threadTs = ev.event.ts as string;

    const [start] = await fake.waitForCalls(() => fake.ok('chat.startStream', (p) => p.thread_ts === threadTs), 'chat.startStream', 1, 30_000);
    expect(start!.params).toMatchObject({ channel: 'C0GENERAL', recipient_user_id: 'U0STREAM', recipient_team_id: 'T0TEAM' });
    expect(String(start!.params.markdown_text).length).toBeGreaterThan(0);
    const ts = start!.response!.ts as string;

    const [final] = await fake.waitForCalls(() => fake.ok('chat.update', (p) => p.ts === ts && Array.isArray(p.blocks)), 'the final update', 1, 30_000);
    const stop = fake.ok('chat.stopStream', (p) => p.ts === ts);
    expect(stop).toHaveLength(1);
    expect(stop[0]!.at).toBeLessThanOrEqual(final!.at);
    // Streaming calls are throttled: at most one append per second while the model writes.
    const appends = fake.ok('chat.appendStream', (p) => p.ts === ts);
    expect(appends.length).toBeGreaterThanOrEqual(1);
    expect(appends.length).toBeLessThanOrEqual(1 + Math.ceil((final!.at - start!.at) / 1000));
    const streamed = [start!, ...appends].map((c) => String(c.params.markdown_text)).join('');
    expect(LONG_ANSWER.startsWith(streamed)).toBe(true);

    // The whole answer, in mrkdwn, within Slack's limits.
    const parts = sections(final!);
    const more = fake.ok('chat.postMessage', (p) => p.thread_ts === threadTs).flatMap(sections);
    const all = [...parts, ...more];
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const text of all) expect(text.length).toBeLessThanOrEqual(3000);
    expect(((final!.params.blocks ?? []) as Json[]).length).toBeLessThanOrEqual(50);
    const joined = all.join('\n');
    expect(joined).toContain('*five guiding principles*');
    expect(joined).toContain(`<${DHSC_URL}|the principles>`);
    expect(joined).toContain('• Point 1: partnerships must be *fair* to the NHS &amp; patients');
    expect(joined).toContain('2. Numbered step 2 explains _transparency_');
    expect(joined).not.toContain('**');
    expect(joined).toContain('Point 39');
    expect(joined).toContain('Numbered step 40');
    expect(JSON.stringify(final!.params.blocks)).toContain('not legal advice');
  });

  it('falls back to updating a placeholder message when streaming is not available', async () => {
    fake.unavailable.add('chat.startStream');
    try {
      const ev = eventFrom('app_mention', { user: 'U0NOSTREAM', text: `<@${FAKE_BOT_USER_ID}> What are the five guiding principles for data partnerships?` });
      await slack.sendEvent(ev);
      const threadTs = ev.event.ts as string;
      const [placeholder] = await fake.waitForCalls(() => fake.ok('chat.postMessage', (p) => p.thread_ts === threadTs && !p.blocks), 'the placeholder', 1, 30_000);
      const ts = placeholder!.response!.ts as string;
      const [final] = await fake.waitForCalls(() => fake.ok('chat.update', (p) => p.ts === ts && Array.isArray(p.blocks)), 'the final update', 1, 30_000);
      expect(sections(final!).join('\n')).toContain('*five guiding principles*');
      expect(fake.ok('chat.appendStream', (p) => p.ts === ts)).toHaveLength(0);
    } finally {
      fake.unavailable.delete('chat.startStream');
    }
  });
});
