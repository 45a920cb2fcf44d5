// manifest.json is a Slack app manifest an admin can paste into "Create app from manifest": the
// structure Slack documents, a scope for every event subscribed and every Web API method the
// adapter calls (found by reading its source), and request URLs on the path the server serves.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLACK_EVENTS_PATH } from '../../../src/channels/slack/index.js';
import { COMMAND } from '../../../src/channels/slack/slash-command.js';
import { SUGGESTED_PROMPTS } from '../../../src/channels/slack/usage.js';
import { REPO_ROOT } from '../../support/test-data.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the manifest is raw JSON
const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'manifest.json'), 'utf8')) as any;
const SOURCE_DIR = join(REPO_ROOT, 'src', 'channels', 'slack');
const source = readdirSync(SOURCE_DIR)
  .filter((f) => f.endsWith('.ts'))
  .map((f) => readFileSync(join(SOURCE_DIR, f), 'utf8'))
  .join('\n');

/** Bot scopes each event subscription needs (Slack's event reference). */
const EVENT_SCOPES: Record<string, string[]> = {
  app_mention: ['app_mentions:read'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  'message.im': ['im:history'],
  'message.mpim': ['mpim:history'],
  assistant_thread_started: ['assistant:write'],
  assistant_thread_context_changed: ['assistant:write'],
};

/** Bot scopes each Web API method needs, for the conversation types this app works in. */
const METHOD_SCOPES: Record<string, string[]> = {
  'auth.test': [],
  'chat.postMessage': ['chat:write'],
  'chat.postEphemeral': ['chat:write'],
  'chat.update': ['chat:write'],
  'chat.startStream': ['chat:write'],
  'chat.appendStream': ['chat:write'],
  'chat.stopStream': ['chat:write'],
  'conversations.replies': ['channels:history', 'groups:history', 'im:history'],
  'conversations.members': ['channels:read', 'groups:read'],
  'usergroups.users.list': ['usergroups:read'],
  'users.info': ['users:read'],
  'views.open': [],
  'assistant.threads.setStatus': ['assistant:write'],
  'assistant.threads.setSuggestedPrompts': ['assistant:write'],
  'assistant.threads.setTitle': ['assistant:write'],
};

function methodsUsed(): string[] {
  const found = new Set<string>();
  for (const m of source.matchAll(/\.(chat|views|conversations|users|usergroups|auth)\s*\.\s*(\w+(?:\s*\.\s*\w+)?)\s*\(/g)) {
    found.add(`${m[1]}.${m[2]!.replace(/\s+/g, '')}`);
  }
  // Bolt's Assistant utilities call assistant.threads.* for us.
  for (const helper of ['setStatus', 'setSuggestedPrompts', 'setTitle']) if (new RegExp(`\\b${helper}\\(`).test(source)) found.add(`assistant.threads.${helper}`);
  return [...found].sort();
}

describe('manifest.json', () => {
  it('has the keys Slack requires, within Slack’s limits', () => {
    expect(manifest._metadata).toMatchObject({ major_version: 1 });
    const info = manifest.display_information;
    expect(typeof info.name).toBe('string');
    expect(info.name.length).toBeGreaterThan(0);
    expect(info.name.length).toBeLessThanOrEqual(35);
    expect(info.description.length).toBeLessThanOrEqual(140);
    expect(info.long_description.length).toBeGreaterThanOrEqual(174);
    expect(info.long_description.length).toBeLessThanOrEqual(4000);
    expect(info.background_color).toMatch(/^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i);
    expect(manifest.features.bot_user.display_name).toMatch(/^[a-z0-9._-]{1,80}$/);
    expect(manifest.features.app_home).toMatchObject({ messages_tab_enabled: true, messages_tab_read_only_enabled: false });
    expect(Array.isArray(manifest.oauth_config.scopes.bot)).toBe(true);
    expect(manifest.settings).toMatchObject({ org_deploy_enabled: false, socket_mode_enabled: false, token_rotation_enabled: false });
    expect(Object.keys(manifest).sort()).toEqual(['_metadata', 'display_information', 'features', 'oauth_config', 'settings']);
  });

  it('declares the slash command the server handles, pointing at the events URL', () => {
    const [cmd, ...others] = manifest.features.slash_commands;
    expect(others).toHaveLength(0);
    expect(cmd.command).toBe(COMMAND);
    expect(cmd.command.length).toBeLessThanOrEqual(32);
    expect(cmd.description.length).toBeLessThanOrEqual(2000);
    expect(cmd.usage_hint.length).toBeLessThanOrEqual(1000);
    expect(manifest.oauth_config.scopes.bot).toContain('commands');
  });

  it('sends events, commands and interactivity to the one path the server serves, over HTTPS', () => {
    const urls = [manifest.settings.event_subscriptions.request_url, manifest.settings.interactivity.request_url, manifest.features.slash_commands[0].url];
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    for (const url of urls) {
      const u = new URL(url);
      expect(u.protocol).toBe('https:');
      expect(u.pathname).toBe(SLACK_EVENTS_PATH);
    }
    expect(new Set(urls.map((u: string) => new URL(u).host)).size).toBe(1);
  });

  it('subscribes to every event the adapter handles, with a scope for each', () => {
    const events: string[] = manifest.settings.event_subscriptions.bot_events;
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    for (const needed of ['app_mention', 'message.im', 'message.channels', 'assistant_thread_started', 'assistant_thread_context_changed']) expect(events).toContain(needed);
    expect(source).toMatch(/app\.event\('app_mention'/);
    expect(source).toMatch(/app\.event\('message'/);
    for (const event of events) {
      expect(EVENT_SCOPES[event], `no known scope for event ${event}`).toBeDefined();
      for (const scope of EVENT_SCOPES[event]!) expect(scopes, `${event} needs ${scope}`).toContain(scope);
    }
  });

  it('grants a scope for every Web API method the adapter calls', () => {
    const methods = methodsUsed();
    expect(methods).toContain('chat.postMessage');
    expect(methods).toContain('views.open');
    expect(methods).toContain('auth.test');
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    for (const method of methods) {
      expect(METHOD_SCOPES[method], `add ${method} and its scopes to METHOD_SCOPES`).toBeDefined();
      for (const scope of METHOD_SCOPES[method]!) expect(scopes, `${method} needs ${scope}`).toContain(scope);
    }
    // No scope is requested that nothing uses (admins approve each one).
    const used = new Set([...methods.flatMap((m) => METHOD_SCOPES[m] ?? []), ...manifest.settings.event_subscriptions.bot_events.flatMap((e: string) => EVENT_SCOPES[e] ?? []), 'commands', 'im:read', 'im:write']);
    for (const scope of scopes) expect(used.has(scope), `${scope} is not used`).toBe(true);
  });

  it('configures the assistant view with the prompts the app suggests', () => {
    const view = manifest.features.assistant_view;
    expect(view.assistant_description.length).toBeGreaterThan(0);
    expect(view.suggested_prompts).toEqual(SUGGESTED_PROMPTS);
    expect(view.suggested_prompts.length).toBeLessThanOrEqual(4);
    expect(manifest.oauth_config.scopes.bot).toContain('assistant:write');
  });
});
