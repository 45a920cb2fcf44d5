import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretValues } from '../../src/config/config.js';

describe('configuration from the environment', () => {
  it('runs on embedded defaults with nothing set', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.port).toBe(3000);
    expect(c.dataDir).toBe('/srv/app/data');
    expect(c.llm.provider).toBe('none');
    expect(c.embeddings.provider).toBe('local');
    expect(c.slack.httpEnabled).toBe(false);
    expect(c.teams.authEnabled).toBe(false);
    expect(c.databaseUrl).toBeUndefined();
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('treats an empty string as unset', () => {
    const c = loadConfig({ PORT: '', OPENAI_API_KEY: '', MICROSOFT_APP_ID: '', DATABASE_URL: '' });
    expect(c.port).toBe(3000);
    expect(c.llm.provider).toBe('none');
    expect(c.teams.authEnabled).toBe(false);
  });

  it('names the variable and what is allowed when a value is bad', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT: must be a whole number from 0 to 65535/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL: must be a PostgreSQL URL/);
    expect(() => loadConfig({ MICROSOFT_APP_TYPE: 'Other' })).toThrow(/MICROSOFT_APP_TYPE: must be MultiTenant, SingleTenant or UserAssignedMSI/);
    expect(() => loadConfig({ SLACK_API_URL: 'not a url' })).toThrow(/SLACK_API_URL/);
  });

  it('turns Slack over HTTP on only with both the signing secret and the bot token', () => {
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }).slack.httpEnabled).toBe(false);
    expect(() => loadConfig({ SLACK_SIGNING_SECRET: 's' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(loadConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' }).slack.httpEnabled).toBe(true);
  });

  it('turns Bot Framework authentication on exactly when MICROSOFT_APP_ID is set', () => {
    expect(loadConfig({ MICROSOFT_APP_ID: 'app', MICROSOFT_APP_PASSWORD: 'pw' }).teams.authEnabled).toBe(true);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'app' })).toThrow(/MICROSOFT_APP_PASSWORD/);
    expect(() => loadConfig({ MICROSOFT_APP_ID: 'a', MICROSOFT_APP_PASSWORD: 'p', MICROSOFT_APP_TYPE: 'SingleTenant' })).toThrow(
      /MICROSOFT_APP_TENANT_ID/,
    );
  });

  it('picks the language model from OpenAI, a local compatible server, or Azure', () => {
    expect(loadConfig({ OPENAI_API_KEY: 'sk-abc' }).llm).toMatchObject({ provider: 'openai', model: 'gpt-4o-mini' });
    expect(loadConfig({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }).llm).toMatchObject({ provider: 'openai', baseUrl: 'http://127.0.0.1:9/v1' });
    expect(
      loadConfig({ AZURE_OPENAI_API_KEY: 'k', AZURE_OPENAI_ENDPOINT: 'https://x.openai.azure.com', AZURE_OPENAI_DEPLOYMENT: 'gpt' }).llm,
    ).toMatchObject({ provider: 'azure', deployment: 'gpt' });
  });

  it('lists configured secrets so logs can refuse them', () => {
    const c = loadConfig({ SLACK_BOT_TOKEN: 'xoxb-secret-1', SLACK_SIGNING_SECRET: 'signing-secret-2', DATABASE_URL: 'postgres://u:dbpass99@h/db' });
    expect(secretValues(c)).toEqual(expect.arrayContaining(['xoxb-secret-1', 'signing-secret-2', 'dbpass99']));
  });
});
