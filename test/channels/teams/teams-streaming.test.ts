// Teams' streaming protocol with a language model configured: in a one-to-one chat the answer
// streams (an informative update, then typing activities carrying the text so far under one stream
// id, then the final message); in a group chat it arrives as one message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotConnector, type ConnectorCall } from '../../support/fake-bot-connector.js';
import { startTestServer, type TestServer } from '../../support/server-harness.js';
import { SlowModelServer } from './slow-model-server.js';
import { activityFrom, postActivity } from './teams-driver.js';

const ANSWER =
  'Data partnerships should follow the DHSC five guiding principles, which cover patient benefit, fair terms, no exclusive rights to raw data, transparency and the law [1]. Boards should make sure any agreement can be published [1].';

let fake: FakeBotConnector;
let model: SlowModelServer;
let server: TestServer;

beforeAll(async () => {
  fake = await new FakeBotConnector().start();
  model = await new SlowModelServer(ANSWER, 120).start();
  server = await startTestServer({ OPENAI_BASE_URL: model.url, LLM_TIMEOUT_MS: '20000' });
});

afterAll(async () => {
  await server?.shutdown();
  await model?.stop();
  await fake?.stop();
});

const repliesTo = (id: string) => fake.calls.filter((c: ConnectorCall) => c.kind === 'reply' && c.activityId === id);

describe('streaming', () => {
  it('streams a model answer in a one-to-one chat: informative, streaming updates under one stream id, then the final message', async () => {
    const activity = activityFrom('message_personal', fake, (a) => (a.text = 'What principles should an NHS data partnership follow?'));
    expect((await postActivity(server.url, activity)).status).toBe(200);
    const final = await fake.waitFor(() => repliesTo(activity.id).find((c) => c.body.type === 'message'), 30_000);

    const calls = repliesTo(activity.id);
    const [first, ...rest] = calls;
    expect(first!.body).toMatchObject({ type: 'typing', channelData: { streamType: 'informative', streamSequence: 1 } });
    expect(first!.body.entities[0]).toMatchObject({ type: 'streaminfo', streamType: 'informative', streamSequence: 1 });
    const streamId = first!.resultId!;
    const updates = rest.filter((c) => c.body.type === 'typing' && c.body.channelData?.streamType === 'streaming');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const u of updates) expect(u.body.channelData.streamId).toBe(streamId);
    // Sequence numbers go up by one, and each update carries all the text so far.
    const sequences = rest.filter((c) => c.body.type === 'typing').map((c) => c.body.channelData.streamSequence);
    expect(sequences).toEqual(sequences.map((_, i) => i + 2));
    const texts = updates.map((u) => u.body.text as string);
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.startsWith(texts[i - 1]!)).toBe(true);
    expect(ANSWER.startsWith(texts[0]!)).toBe(true);

    expect(final.body.channelData).toMatchObject({ streamType: 'final', streamId, feedbackLoopEnabled: true });
    expect(final.body.entities).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'streaminfo', streamType: 'final', streamId })]));
    const message = final.body.entities.find((e: { type: string }) => e.type === 'https://schema.org/Message');
    expect(message.citation[0]).toMatchObject({ '@type': 'Claim', position: 1 });
    expect(final.body.text).toContain('[1]');
    expect(final.body.text).toContain('not legal advice');
    expect(calls.filter((c) => c.body.type === 'message')).toHaveLength(1);
  });

  it('sends one ordinary message in a group chat, with a typing indicator and no stream', async () => {
    const activity = activityFrom('message_groupchat_mention', fake, (a) => (a.text = '<at>Navigator</at> what principles should a data partnership follow?'));
    expect((await postActivity(server.url, activity)).status).toBe(200);
    const final = await fake.waitFor(() => repliesTo(activity.id).find((c) => c.body.type === 'message'), 30_000);
    expect(final.body.channelData?.streamType).toBeUndefined();
    const typing = repliesTo(activity.id).filter((c) => c.body.type === 'typing');
    expect(typing.length).toBeGreaterThanOrEqual(1);
    expect(typing.every((c) => c.body.channelData?.streamType === undefined)).toBe(true);
  });
});
