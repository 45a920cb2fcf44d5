// The Slack channel: a Bolt app mounted at POST /slack/events (events, slash commands and
// interactivity on one URL, signatures verified by Bolt), or connected over Socket Mode when an
// app-level token is configured. Everything is built here, from ChannelDeps, never at import.
import { App, ExpressReceiver, HTTPModuleFunctions, SocketModeReceiver, type Receiver } from '@slack/bolt';
import type { Channel, ChannelDeps } from '../channel.js';
import { createAssistant } from './assistant.js';
import { boltLogger } from './bolt-logger.js';
import type { BotIdentity, SlackContext } from './context.js';
import { createSlackDelivery } from './delivery.js';
import { registerEscalation } from './escalation.js';
import { registerFeedback } from './feedback.js';
import { registerMessageEvents } from './message-events.js';
import { createSlackClients, slackApiUrl, slackErrorCode, type WebClient } from './slack-api.js';
import { registerSlashCommand } from './slash-command.js';
import { SupportTeam } from './support-team.js';
import { registerTriageActions } from './triage-actions.js';
import { WorkQueue, answerConcurrency } from './work-queue.js';

export const SLACK_EVENTS_PATH = '/slack/events';

export async function createSlackChannel(deps: ChannelDeps): Promise<Channel> {
  const { config } = deps;
  const slack = config.slack;
  if (!slack.botToken) throw new Error('SLACK_BOT_TOKEN must be set for the Slack channel');
  if (!slack.socketMode && !slack.signingSecret) throw new Error('SLACK_SIGNING_SECRET must be set for Slack over HTTP');
  const botToken = slack.botToken;
  const logger = deps.logger.child({ channel: 'slack' });
  const clients = createSlackClients(config, logger);
  const identity = cachedIdentity(clients.delivery, logger);

  const receiver: ExpressReceiver | SocketModeReceiver = slack.socketMode
    ? new SocketModeReceiver({
        appToken: slack.appToken!,
        logger: boltLogger(logger.child({ component: 'socket-mode' })),
        installerOptions: { clientOptions: { ...(slackApiUrl(config) ? { slackApiUrl: slackApiUrl(config) } : {}) } },
      })
    : new ExpressReceiver({
        signingSecret: slack.signingSecret!,
        // Mounted by the HTTP app at /slack/events, so the receiver's own path is the mount root.
        endpoints: '/',
        logger: boltLogger(logger.child({ component: 'bolt' })),
        processBeforeResponse: false,
        bodyLimit: config.limits.maxBodyBytes,
        // A signed body that parses to something other than an object (`null`, a number, an array)
        // is the sender's mistake: 400, not the 500 Bolt would answer.
        processEventErrorHandler: async (args) => {
          const body: unknown = (args.request as { body?: unknown }).body;
          if (body === null || typeof body !== 'object' || Array.isArray(body)) {
            if (!args.response.headersSent) args.response.writeHead(400).end();
            return false;
          }
          return HTTPModuleFunctions.defaultProcessEventErrorHandler(args);
        },
      });

  const app = new App({
    receiver: receiver as Receiver,
    // A custom authorize keeps auth.test off the ack path: one cached lookup, not one per event.
    authorize: async () => ({ botToken, ...(await identity()) }),
    logger: boltLogger(logger.child({ component: 'bolt' })),
    clientOptions: clients.options,
    convoStore: false,
    ignoreSelf: true,
  });
  app.error(async (error) => {
    logger.warn('slack listener error', { error: error.message, code: (error as { code?: string }).code });
  });

  const ctx: SlackContext = {
    deps,
    logger,
    api: clients.interactive,
    clients,
    identity,
    supportTeam: new SupportTeam(clients.interactive, slack, logger),
    streaming: config.llm.provider !== 'none',
    answers: new WorkQueue(answerConcurrency(config.llm.provider !== 'none', config.llmMaxConcurrency)),
  };
  // The assistant middleware comes first: it takes DM thread messages from the panel, so they are
  // not also treated as ordinary DMs.
  app.assistant(createAssistant(ctx));
  registerMessageEvents(app, ctx);
  registerSlashCommand(app, ctx);
  registerEscalation(app, ctx);
  registerFeedback(app, ctx);
  registerTriageActions(app, ctx);

  const deliver = createSlackDelivery({ api: clients.delivery, channelRefs: deps.channelRefs, triageChannel: slack.triageChannel, logger });

  return {
    platform: 'slack',
    routes: receiver instanceof ExpressReceiver ? [{ path: SLACK_EVENTS_PATH, handler: receiver.router }] : [],
    deliver,
    async start() {
      const me = await identity();
      logger.info('slack channel ready', { mode: slack.socketMode ? 'socket' : 'http', botUserId: me.botUserId ?? null, triage: Boolean(slack.triageChannel) });
      if (slack.socketMode) await app.start();
    },
    async stop() {
      if (slack.socketMode) await app.stop();
    },
  };
}

/** How long a failed auth.test is remembered before trying again. */
const IDENTITY_RETRY_MS = 30_000;

/**
 * The bot's own user and bot ids from auth.test, looked up once and shared; while Slack cannot be
 * reached it resolves to an empty identity (events are still handled, bots still ignored by bot_id).
 */
function cachedIdentity(api: WebClient, logger: SlackContext['logger']): () => Promise<BotIdentity> {
  let known: BotIdentity | undefined;
  let inFlight: Promise<BotIdentity> | undefined;
  let failedAt = 0;
  return async () => {
    if (known) return known;
    if (Date.now() - failedAt < IDENTITY_RETRY_MS) return {};
    inFlight ??= api.auth
      .test()
      .then((res) => {
        known = { botUserId: res.user_id, botId: res.bot_id, teamId: res.team_id };
        return known;
      })
      .catch((err: unknown) => {
        failedAt = Date.now();
        logger.warn('slack auth.test failed; will retry', { error: slackErrorCode(err) });
        return {} as BotIdentity;
      })
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  };
}
