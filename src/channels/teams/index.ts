// The Microsoft Teams channel: the Bot Framework endpoint at POST /api/messages and the outbox
// handler for Teams notifications. Everything is built here, when the composition root calls
// createTeamsChannel, never at import time.
import type { Channel, ChannelDeps } from '../channel.js';
import { createTeamsAdapter } from './bot-adapter.js';
import { onTurn } from './bot.js';
import { TeamsConnector } from './connector.js';
import type { TeamsContext } from './context.js';
import { ConversationMemory } from './conversation-memory.js';
import { createTeamsDelivery } from './delivery.js';
import { messagesHandler } from './http-route.js';
import { SupportTeam } from './support-team.js';
import { TriageTarget } from './triage-target.js';

export const TEAMS_MESSAGES_PATH = '/api/messages';

export async function createTeamsChannel(deps: ChannelDeps): Promise<Channel> {
  const logger = deps.logger.child({ channel: 'teams' });
  const { teams } = deps.config;
  const adapter = createTeamsAdapter(deps.config);
  const connector = new TeamsConnector(adapter);
  const triage = new TriageTarget(deps.settings, deps.config);
  const t: TeamsContext = {
    deps,
    logger,
    adapter,
    connector,
    memory: new ConversationMemory(),
    triage,
    support: new SupportTeam(deps.config, triage, connector, logger),
    streamIntervalMs: 1000,
  };

  if (!teams.authEnabled) {
    logger.warn(
      'Teams Bot Framework authentication is OFF because MICROSOFT_APP_ID is not set: anyone who can reach /api/messages can talk to the bot. Use this only for local development with the Bot Framework Emulator.',
    );
  }
  if (teams.supportUsers.length === 0 && !teams.triageConversationId) {
    logger.info('no TEAMS_SUPPORT_USERS configured: only members of a Teams triage channel can act on tickets from Teams');
  }

  return {
    platform: 'teams',
    routes: [{ path: TEAMS_MESSAGES_PATH, handler: messagesHandler(t, (ctx) => onTurn(t, ctx)) }],
    deliver: createTeamsDelivery(t),
  };
}
