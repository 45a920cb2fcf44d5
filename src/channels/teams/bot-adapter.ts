// botbuilder's CloudAdapter, configured from our Config, with the two steps of a turn split apart:
// authenticate first (so a bad token is a 401 before anything else happens), then run the turn.
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type ConversationReference,
  type InvokeResponse,
  type ResourceResponse,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../../config/config.js';
import { ConnectorRest, type RequestSigner } from './connector-rest.js';
import { ClientCredentialsFactory } from './token-credentials.js';

/** Activity types botbuilder handles without calling the connector (invoke responses, delays, traces). */
const LOCAL_TYPES = new Set(['invokeResponse', 'delay', 'trace']);

export type AuthenticateResult = Awaited<ReturnType<ConfigurationBotFrameworkAuthentication['authenticateRequest']>>;
type CredentialsFactory = ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1];

export class TeamsAdapter extends CloudAdapter {
  /** Replies in a live turn wait out one short throttle; outbox deliveries do not (the outbox retries). */
  private readonly rest = new ConnectorRest({ retryThrottled: true });

  constructor(
    private readonly auth: ConfigurationBotFrameworkAuthentication,
    readonly appId: string,
  ) {
    super(auth);
  }

  /** The credentials botbuilder chose for this turn's connector (none when authentication is off). */
  signerOf(context: TurnContext): RequestSigner {
    const client = context.turnState.get(this.ConnectorClientKey) as { credentials?: RequestSigner } | undefined;
    if (!client?.credentials) throw new Error('No Bot Connector credentials on this turn.');
    return client.credentials;
  }

  // Sends go through ConnectorRest so every property of an activity reaches Teams (see connector-rest.ts).
  override async sendActivities(context: TurnContext, activities: Array<Partial<Activity>>): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      if (LOCAL_TYPES.has(activity.type ?? '')) {
        responses.push(...(await super.sendActivities(context, [activity])));
        continue;
      }
      delete activity.id;
      const conversationId = activity.conversation?.id;
      if (!activity.serviceUrl || !conversationId) throw new Error('An outgoing activity needs a serviceUrl and a conversation.');
      const res = await this.rest.send({ serviceUrl: activity.serviceUrl, conversationId, replyToId: activity.replyToId }, activity, this.signerOf(context));
      responses.push({ id: res.id ?? '' });
    }
    return responses;
  }

  override async updateActivity(context: TurnContext, activity: Partial<Activity>): Promise<ResourceResponse | void> {
    const conversationId = activity.conversation?.id;
    if (!activity.serviceUrl || !conversationId || !activity.id) throw new Error('An update needs a serviceUrl, a conversation and the activity id.');
    const res = await this.rest.update({ serviceUrl: activity.serviceUrl, conversationId, activityId: activity.id }, activity, this.signerOf(context));
    return res.id ? { id: res.id } : undefined;
  }

  /** Throws botbuilder's AuthenticationError (statusCode 401) for a missing or invalid token when auth is on. */
  authenticate(activity: Activity, authHeader: string): Promise<AuthenticateResult> {
    return this.auth.authenticateRequest(activity, authHeader);
  }

  /** Runs the turn; for invokes, resolves with what the logic put in the invoke response. */
  run(auth: AuthenticateResult, activity: Activity, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(auth, activity, logic);
  }

  /**
   * A turn in an existing conversation, outside any incoming request (proactive messages, outbox
   * deliveries). botbuilder gives the continuation turn a made-up activity id and would send every
   * message as a reply to it; here replies go to `reference.activityId` or, without one, to the
   * conversation itself.
   */
  proactive(reference: Partial<ConversationReference>, logic: (context: TurnContext) => Promise<void>): Promise<void> {
    return this.continueConversationAsync(this.appId, reference, async (context) => {
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) {
          if (reference.activityId) a.replyToId = reference.activityId;
          else delete a.replyToId;
        }
        return next();
      });
      await logic(context);
    });
  }
}

/** Builds nothing at import time: the composition root calls this with the loaded config. */
export function createTeamsAdapter(config: Readonly<Config>): TeamsAdapter {
  const t = config.teams;
  const settings = {
    MicrosoftAppId: t.appId ?? '',
    MicrosoftAppPassword: t.appPassword ?? '',
    MicrosoftAppTenantId: t.tenantId ?? '',
    MicrosoftAppType: t.appType ?? 'MultiTenant',
  };
  const credentials =
    t.appId && t.appPassword && t.oauthUrl
      ? (new ClientCredentialsFactory({ tokenUrl: t.oauthUrl, appId: t.appId, appPassword: t.appPassword }) as unknown as CredentialsFactory)
      : undefined;
  const auth = new ConfigurationBotFrameworkAuthentication(settings, credentials);
  return new TeamsAdapter(auth, t.appId ?? '');
}

/** True for botbuilder's AuthenticationError and anything else carrying a 401/403. */
export function isAuthenticationError(err: unknown): boolean {
  const e = err as { name?: string; statusCode?: number; constructor?: { name?: string } } | null;
  return Boolean(e && (e.statusCode === 401 || e.statusCode === 403 || e.constructor?.name === 'AuthenticationError'));
}
