// Starts the real server with Slack configured against a FakeSlackApi, as the brief's tests need.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createSlackChannel } from '../../../src/channels/slack/index.js';
import { startTestServer, type TestServer } from '../../support/server-harness.js';
import type { FakeSlackApi } from '../../support/fake-slack-api.js';
import { REPO_ROOT } from '../../support/test-data.js';
import { SIGNING_SECRET } from './slack-driver.js';

export function slackEnv(fake: FakeSlackApi, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    SLACK_BOT_TOKEN: 'xoxb-test',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_API_URL: fake.apiUrl,
    SLACK_TRIAGE_CHANNEL: 'C0TRIAGE',
    SLACK_SUPPORT_USERS: 'U0SUPPORT',
    ...extra,
  };
}

/**
 * The composition root's own channel list when every channel module exists; otherwise only the
 * Slack channel (through the same startServer), so these tests do not depend on other adapters.
 */
export async function startSlackServer(fake: FakeSlackApi, extra: Record<string, string | undefined> = {}): Promise<TestServer> {
  const allChannels = existsSync(join(REPO_ROOT, 'src', 'channels', 'teams', 'index.ts')) && existsSync(join(REPO_ROOT, 'src', 'triage', 'web-channel.ts'));
  return startTestServer(slackEnv(fake, extra), allChannels ? {} : { channels: [createSlackChannel] });
}
