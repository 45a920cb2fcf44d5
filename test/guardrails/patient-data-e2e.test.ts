// A question carrying a valid NHS number, a date of birth and a postcode goes in through the web
// API, Slack and Teams with a language model configured, and is then escalated on each. The NHS
// number must appear in no request to the model, no Slack or Teams API call, no log line and no
// byte of any file under DATA_DIR. The server runs as a real process with its production logger.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeBotConnector, type ConnectorCall } from '../support/fake-bot-connector.js';
import { FakeOpenAIServer } from '../support/fake-openai-server.js';
import { FakeSlackApi } from '../support/fake-slack-api.js';
import { spawnServer, type ChildServer } from '../support/server-harness.js';
import { SlackDriver, eventFrom, fixture as slackFixture, SIGNING_SECRET } from '../channels/slack/slack-driver.js';
import { actionsOf, activityFrom, cardAction, cardElements, cardOf, cardText, postActivity, type Json } from '../channels/teams/teams-driver.js';

const NHS_NUMBER = '943 476 5919'; // passes the modulus 11 check
const FORMS = ['943 476 5919', '9434765919', '943-476-5919'];
const QUESTION = `My patient, NHS number ${NHS_NUMBER}, born on 14/03/1962, lives at LS1 4AB. Can we share their record with a company for research, and what lawful basis applies?`;

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

function leaks(text: string): string[] {
  return FORMS.filter((f) => text.includes(f));
}

describe('patient-identifiable data never leaves the guard', () => {
  const model = new FakeOpenAIServer();
  const slack = new FakeSlackApi();
  const connector = new FakeBotConnector();
  let server: ChildServer;

  beforeAll(async () => {
    await Promise.all([model.start(), slack.start(), connector.start()]);
    model.routes('{"route":"answer","category":"ig_dpia"}');
    model.replies('Health research by a public body usually relies on public task with an Article 9 condition [1].');
    server = await spawnServer({
      OPENAI_BASE_URL: model.url,
      LLM_TIMEOUT_MS: '8000',
      SLACK_BOT_TOKEN: slack.token,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
      SLACK_SUPPORT_USERS: 'U0SUPPORT',
      LOG_LEVEL: 'debug',
    });
  }, 180_000);

  afterAll(async () => {
    await server?.stop('SIGKILL');
    await Promise.all([model.stop(), slack.stop(), connector.stop()]);
  });

  it('is redacted on every surface, in every escalation, in logs and on disk', async () => {
    // 1. The web API, then a web escalation.
    const res = await fetch(`${server.url}/api/ask`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-navigator-session': 'e2e-session-0001' },
      body: JSON.stringify({ question: QUESTION }),
    });
    const body = await res.json();
    expect(body.redactions).toBeGreaterThanOrEqual(3);
    expect(body.answer).toMatch(/patient-identifiable/i);
    expect(leaks(JSON.stringify(body))).toEqual([]);
    const web = await fetch(`${server.url}/api/escalations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-navigator-session': 'e2e-session-0001' },
      body: JSON.stringify({
        orgType: 'nhs_trust',
        orgName: 'Northshire Hospitals NHS Foundation Trust',
        category: 'ig_dpia',
        priority: 'high',
        summary: `Sharing the record of NHS number ${NHS_NUMBER} with a company`,
        details: `Patient born on 14/03/1962 at LS1 4AB, NHS no ${NHS_NUMBER.replace(/ /g, '')}`,
        consent: true,
        conversation: [{ role: 'user', text: QUESTION }],
      }),
    });
    expect(web.status).toBe(201);

    // 2. Slack: a mention, then the escalation modal submitted with the identifiers in its fields.
    const driver = new SlackDriver(server.url);
    const mention = eventFrom('app_mention', { text: `<@U0BOT> ${QUESTION}` });
    expect((await driver.sendEvent(mention)).status).toBe(200);
    await slack.waitForCalls(() => slack.ok('chat.postMessage', (p) => p.thread_ts === mention.event.ts), 'the Slack answer');
    const submission = slackFixture('view_submission_escalation');
    submission.view.state.values.summary.value.value = `Can we share NHS number ${NHS_NUMBER}'s record?`;
    submission.view.state.values.details.value.value = `Born on 14/03/1962, postcode LS1 4AB, NHS ${NHS_NUMBER.replace(/ /g, '-')}`;
    expect((await driver.sendInteraction(submission)).status).toBe(200);
    await slack.waitForCalls(() => slack.ok('chat.postMessage', (p) => p.channel === 'C0TRIAGE'), 'the Slack triage post');

    // 3. Teams: a personal message, then the escalation form submitted with the identifiers.
    const activity = activityFrom('message_personal', connector, (a: Json) => (a.text = QUESTION));
    expect((await postActivity(server.url, activity)).status).toBe(200);
    const answer = await connector.waitFor((calls: ConnectorCall[]) =>
      calls.find((c) => c.kind === 'reply' && c.activityId === activity.id && c.body?.type === 'message'),
    );
    const help = actionsOf(cardOf(answer.body)).find((a: Json) => a.verb === 'requestHelp');
    expect(help).toBeTruthy();
    const opened = await postActivity(server.url, cardAction(connector, 'requestHelp', help.data, (a: Json) => (a.replyToId = answer.resultId)));
    expect(opened.status).toBe(200);
    const formCall = await connector.waitFor((calls: ConnectorCall[]) =>
      calls.find((c) => c.kind === 'reply' && c.activityId === answer.resultId && cardElements(cardOf(c.body)).some((e: Json) => e.id === 'summary')),
    );
    const submit = actionsOf(cardOf(formCall.body)).find((a: Json) => a.verb === 'submitEscalation');
    const submitted = await postActivity(
      server.url,
      cardAction(
        connector,
        'submitEscalation',
        {
          ...submit.data,
          summary: `Record of NHS number ${NHS_NUMBER}`,
          category: 'ig_dpia',
          orgType: 'nhs_trust',
          orgName: 'Northshire Hospitals NHS Foundation Trust',
          priority: 'normal',
          deadline: '',
          details: `Born on 14/03/1962, LS1 4AB, ${NHS_NUMBER}`,
          consent: 'true',
        },
        (a: Json) => (a.replyToId = formCall.resultId),
      ),
    );
    expect(cardText(submitted.json.value)).toMatch(/NAV-\d{4,}/);

    // Let the outbox finish, then stop the process so every file is flushed.
    await new Promise((r) => setTimeout(r, 1500));
    server.proc.kill('SIGTERM');
    expect(await server.exited).toBe(0);

    // The model saw questions, history and prompts for three surfaces, and never the number.
    expect(model.chatRequests().length).toBeGreaterThanOrEqual(3);
    expect(model.requests.filter((r) => leaks(r.raw).length > 0).map((r) => r.path)).toEqual([]);
    expect(model.chatRequests().some((r) => r.raw.includes('[NHS number]'))).toBe(true);
    // No Slack or Teams API call carried it.
    expect(slack.calls.filter((c) => leaks(JSON.stringify(c.params)).length > 0).map((c) => c.method)).toEqual([]);
    expect(connector.calls.filter((c) => leaks(JSON.stringify(c.body ?? '')).length > 0).map((c) => c.kind)).toEqual([]);
    // No log line, at debug level, mentions it.
    const lines = server.output().split('\n');
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.filter((l) => leaks(l).length > 0)).toEqual([]);
    // No byte of any file under DATA_DIR (SQLite database and WAL, index, caches) holds it.
    const files = filesUnder(server.dataDir);
    expect(files.some((f) => f.endsWith('navigator.sqlite'))).toBe(true);
    const leakingFiles = files.filter((f) => leaks(readFileSync(f).toString('latin1')).length > 0);
    expect(leakingFiles).toEqual([]);
  }, 300_000);
});
