// Configuration is read once, from the environment, validated, frozen and passed down.
// Each field names its variable so a bad value stops start-up with one line that says how to fix it.
import { resolve } from 'node:path';
import { z } from 'zod';

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const optionalUrl = z.preprocess(emptyToUndefined, z.string().url('must be a URL such as https://example.org').optional());
const intInRange = (def: number, min: number, max: number) =>
  z.preprocess(
    emptyToUndefined,
    z.coerce
      .number({ message: `must be a whole number from ${min} to ${max}` })
      .int(`must be a whole number from ${min} to ${max}`)
      .min(min, `must be a whole number from ${min} to ${max}`)
      .max(max, `must be a whole number from ${min} to ${max}`)
      .default(def),
  );
const csv = z.preprocess(
  (v) => (typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : v ?? []),
  z.array(z.string()),
);

/** Environment variable → schema. The keys are the variable names, so messages can name them. */
const envSchema = z.object({
  DATA_DIR: optionalString,
  PORT: intInRange(3000, 0, 65535),
  HOST: optionalString,
  LOG_LEVEL: z.preprocess(emptyToUndefined, z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info')),
  KNOWLEDGE_DIR: optionalString,

  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().startsWith('xapp-', 'must be an app-level token starting with xapp- (Socket Mode)').optional(),
  ),
  SLACK_API_URL: optionalUrl,
  SLACK_TRIAGE_CHANNEL: optionalString,
  SLACK_SUPPORT_USERS: csv,
  SLACK_SUPPORT_USERGROUP: optionalString,

  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TENANT_ID: optionalString,
  MICROSOFT_APP_TYPE: z.preprocess(
    emptyToUndefined,
    z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI'], {
      message: 'must be MultiTenant, SingleTenant or UserAssignedMSI',
    }).optional(),
  ),
  TEAMS_TRIAGE_CONVERSATION_ID: optionalString,
  TEAMS_SUPPORT_USERS: csv,
  TEAMS_OAUTH_URL: optionalUrl,

  OPENAI_API_KEY: optionalString,
  OPENAI_BASE_URL: optionalUrl,
  OPENAI_MODEL: z.preprocess(emptyToUndefined, z.string().default('gpt-4o-mini')),
  OPENAI_EMBEDDING_MODEL: optionalString,
  AZURE_OPENAI_API_KEY: optionalString,
  AZURE_OPENAI_ENDPOINT: optionalUrl,
  AZURE_OPENAI_DEPLOYMENT: optionalString,
  AZURE_OPENAI_EMBEDDING_DEPLOYMENT: optionalString,
  AZURE_OPENAI_API_VERSION: z.preprocess(emptyToUndefined, z.string().default('2024-10-21')),
  LLM_TIMEOUT_MS: intInRange(20_000, 100, 600_000),
  LLM_MAX_CONCURRENCY: intInRange(4, 1, 256),

  DATABASE_URL: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a PostgreSQL URL such as postgres://user@host:5432/db')
      .optional(),
  ),
  DATABASE_SCHEMA: optionalString,
  REDIS_URL: z.preprocess(emptyToUndefined, z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional()),
  TRIAGE_TOKEN: optionalString,
  SLA_WORKING_DAYS: intInRange(2, 1, 60),
  TRANSCRIPT_RETENTION_DAYS: intInRange(90, 1, 3650),
  TICKET_ANONYMISE_DAYS: intInRange(730, 1, 36500),

  RATE_LIMIT_PER_MINUTE: intInRange(20, 1, 100_000),
  RATE_LIMIT_BURST: intInRange(10, 1, 100_000),
  MAX_QUESTION_CHARS: intInRange(2000, 50, 100_000),
  MAX_BODY_BYTES: intInRange(256 * 1024, 1024, 50 * 1024 * 1024),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  dataDir: string;
  knowledgeDir: string;
  port: number;
  host: string;
  logLevel: Env['LOG_LEVEL'];
  slack: {
    botToken?: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    triageChannel?: string;
    supportUsers: string[];
    supportUsergroup?: string;
    /** Slack over HTTP is on when both the signing secret and bot token are set. */
    httpEnabled: boolean;
    socketMode: boolean;
  };
  teams: {
    appId?: string;
    appPassword?: string;
    tenantId?: string;
    appType?: Env['MICROSOFT_APP_TYPE'];
    triageConversationId?: string;
    supportUsers: string[];
    /** Overrides the token endpoint for tests; production uses the Microsoft login endpoint. */
    oauthUrl?: string;
    /** Bot Framework authentication is on exactly when an app id is configured. */
    authEnabled: boolean;
  };
  llm:
    | { provider: 'none' }
    | { provider: 'openai'; apiKey: string; baseUrl?: string; model: string }
    | { provider: 'azure'; apiKey: string; endpoint: string; deployment: string; apiVersion: string };
  llmTimeoutMs: number;
  llmMaxConcurrency: number;
  embeddings:
    | { provider: 'local' }
    | { provider: 'openai'; apiKey: string; baseUrl?: string; model: string }
    | { provider: 'azure'; apiKey: string; endpoint: string; deployment: string; apiVersion: string };
  databaseUrl?: string;
  databaseSchema?: string;
  redisUrl?: string;
  triageToken?: string;
  slaWorkingDays: number;
  retention: { transcriptDays: number; anonymiseDays: number };
  limits: { ratePerMinute: number; burst: number; maxQuestionChars: number; maxBodyBytes: number };
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parse the environment; throws ConfigError whose message is one line per bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<Config> {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`);
    throw new ConfigError(`Invalid configuration: ${lines.join('; ')}`);
  }
  const e = parsed.data;
  const problems: string[] = [];

  if (e.SLACK_SIGNING_SECRET && !e.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: must be set when SLACK_SIGNING_SECRET is set (Slack over HTTP needs both)');
  }
  if (e.SLACK_APP_TOKEN && !e.SLACK_BOT_TOKEN) {
    problems.push('SLACK_BOT_TOKEN: must be set when SLACK_APP_TOKEN is set (Socket Mode needs both)');
  }
  if (e.MICROSOFT_APP_ID && !e.MICROSOFT_APP_PASSWORD && e.MICROSOFT_APP_TYPE !== 'UserAssignedMSI') {
    problems.push('MICROSOFT_APP_PASSWORD: must be set when MICROSOFT_APP_ID is set');
  }
  if (e.MICROSOFT_APP_TYPE === 'SingleTenant' && !e.MICROSOFT_APP_TENANT_ID) {
    problems.push('MICROSOFT_APP_TENANT_ID: must be set when MICROSOFT_APP_TYPE is SingleTenant');
  }
  const azureChat = e.AZURE_OPENAI_API_KEY && e.AZURE_OPENAI_ENDPOINT;
  if (azureChat && !e.AZURE_OPENAI_DEPLOYMENT && !e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) {
    problems.push('AZURE_OPENAI_DEPLOYMENT: must name a chat deployment when AZURE_OPENAI_API_KEY and AZURE_OPENAI_ENDPOINT are set');
  }
  if (e.OPENAI_EMBEDDING_MODEL && !e.OPENAI_API_KEY && !e.OPENAI_BASE_URL) {
    problems.push('OPENAI_API_KEY: must be set (or OPENAI_BASE_URL for a local server) when OPENAI_EMBEDDING_MODEL is set');
  }
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);

  const dataDir = resolve(cwd, e.DATA_DIR ?? 'data');
  // A local OpenAI-compatible server often needs no key; the SDK insists on one, so a placeholder stands in.
  const openaiKey = e.OPENAI_API_KEY ?? (e.OPENAI_BASE_URL ? 'not-needed' : undefined);

  let llm: Config['llm'] = { provider: 'none' };
  if (azureChat && e.AZURE_OPENAI_DEPLOYMENT) {
    llm = {
      provider: 'azure',
      apiKey: e.AZURE_OPENAI_API_KEY!,
      endpoint: e.AZURE_OPENAI_ENDPOINT!,
      deployment: e.AZURE_OPENAI_DEPLOYMENT,
      apiVersion: e.AZURE_OPENAI_API_VERSION,
    };
  } else if (openaiKey) {
    llm = { provider: 'openai', apiKey: openaiKey, baseUrl: e.OPENAI_BASE_URL, model: e.OPENAI_MODEL };
  }

  let embeddings: Config['embeddings'] = { provider: 'local' };
  if (azureChat && e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT) {
    embeddings = {
      provider: 'azure',
      apiKey: e.AZURE_OPENAI_API_KEY!,
      endpoint: e.AZURE_OPENAI_ENDPOINT!,
      deployment: e.AZURE_OPENAI_EMBEDDING_DEPLOYMENT,
      apiVersion: e.AZURE_OPENAI_API_VERSION,
    };
  } else if (e.OPENAI_EMBEDDING_MODEL && openaiKey) {
    embeddings = { provider: 'openai', apiKey: openaiKey, baseUrl: e.OPENAI_BASE_URL, model: e.OPENAI_EMBEDDING_MODEL };
  }

  const config: Config = {
    dataDir,
    knowledgeDir: resolve(cwd, e.KNOWLEDGE_DIR ?? 'knowledge'),
    port: e.PORT,
    host: e.HOST ?? '0.0.0.0',
    logLevel: e.LOG_LEVEL,
    slack: {
      botToken: e.SLACK_BOT_TOKEN,
      signingSecret: e.SLACK_SIGNING_SECRET,
      appToken: e.SLACK_APP_TOKEN,
      apiUrl: e.SLACK_API_URL,
      triageChannel: e.SLACK_TRIAGE_CHANNEL,
      supportUsers: e.SLACK_SUPPORT_USERS,
      supportUsergroup: e.SLACK_SUPPORT_USERGROUP,
      httpEnabled: Boolean(e.SLACK_SIGNING_SECRET && e.SLACK_BOT_TOKEN),
      socketMode: Boolean(e.SLACK_APP_TOKEN && e.SLACK_BOT_TOKEN),
    },
    teams: {
      appId: e.MICROSOFT_APP_ID,
      appPassword: e.MICROSOFT_APP_PASSWORD,
      tenantId: e.MICROSOFT_APP_TENANT_ID,
      appType: e.MICROSOFT_APP_TYPE,
      triageConversationId: e.TEAMS_TRIAGE_CONVERSATION_ID,
      supportUsers: e.TEAMS_SUPPORT_USERS,
      oauthUrl: e.TEAMS_OAUTH_URL,
      authEnabled: Boolean(e.MICROSOFT_APP_ID),
    },
    llm,
    llmTimeoutMs: e.LLM_TIMEOUT_MS,
    llmMaxConcurrency: e.LLM_MAX_CONCURRENCY,
    embeddings,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    redisUrl: e.REDIS_URL,
    triageToken: e.TRIAGE_TOKEN,
    slaWorkingDays: e.SLA_WORKING_DAYS,
    retention: { transcriptDays: e.TRANSCRIPT_RETENTION_DAYS, anonymiseDays: e.TICKET_ANONYMISE_DAYS },
    limits: {
      ratePerMinute: e.RATE_LIMIT_PER_MINUTE,
      burst: e.RATE_LIMIT_BURST,
      maxQuestionChars: e.MAX_QUESTION_CHARS,
      maxBodyBytes: e.MAX_BODY_BYTES,
    },
  };
  return deepFreeze(config);
}

/** Every configured secret value, so log sinks can refuse to print them. */
export function secretValues(config: Config): string[] {
  const values = [
    config.slack.botToken,
    config.slack.signingSecret,
    config.slack.appToken,
    config.teams.appPassword,
    config.llm.provider !== 'none' ? config.llm.apiKey : undefined,
    config.embeddings.provider !== 'local' ? config.embeddings.apiKey : undefined,
    config.triageToken,
    config.databaseUrl ? passwordOf(config.databaseUrl) : undefined,
    config.redisUrl ? passwordOf(config.redisUrl) : undefined,
  ];
  return values.filter((v): v is string => typeof v === 'string' && v.length >= 6 && v !== 'not-needed');
}

function passwordOf(url: string): string | undefined {
  try {
    const p = new URL(url).password;
    return p ? decodeURIComponent(p) : undefined;
  } catch {
    return undefined;
  }
}

function deepFreeze<T>(value: T): Readonly<T> {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
