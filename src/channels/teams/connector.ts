// Calls to the Bot Connector outside an incoming turn: proactive posts, in-place card updates and
// member lists. Each is one attempt: the outbox owns retries (honouring the connector's
// Retry-After), and a membership check should fail fast rather than hold up a card action.
import { TurnContext, type Activity, type ChannelAccount, type ConversationReference } from 'botbuilder';
import { outcomeFromHttp } from '../../queue/outbox.js';
import type { DeliveryOutcome } from '../../queue/types.js';
import { ProviderError } from '../../shared/errors.js';
import type { TeamsAdapter } from './bot-adapter.js';
import { ConnectorHttpError, ConnectorRest } from './connector-rest.js';

export class TeamsConnector {
  private readonly rest = new ConnectorRest();

  constructor(private readonly adapter: TeamsAdapter) {}

  /** A new message in the conversation (a new post when the reference is a channel). */
  async send(reference: Partial<ConversationReference>, activity: Partial<Activity>): Promise<string | undefined> {
    const conversationId = requireConversation(reference);
    const res = await this.inTurn(reference, (context) =>
      this.rest.send({ serviceUrl: reference.serviceUrl!, conversationId }, addressed(activity, reference), this.adapter.signerOf(context)),
    );
    return res.id;
  }

  async update(reference: Partial<ConversationReference>, activityId: string, activity: Partial<Activity>): Promise<void> {
    const conversationId = requireConversation(reference);
    await this.inTurn(reference, (context) =>
      this.rest.update({ serviceUrl: reference.serviceUrl!, conversationId, activityId }, addressed(activity, reference), this.adapter.signerOf(context)),
    );
  }

  async members(reference: Partial<ConversationReference>, conversationId: string): Promise<ChannelAccount[]> {
    requireConversation(reference);
    const members = await this.inTurn(reference, (context) => this.rest.members({ serviceUrl: reference.serviceUrl!, conversationId }, this.adapter.signerOf(context)));
    return members.map((m) => ({ id: m.id, name: m.name ?? '', ...(m.aadObjectId ? { aadObjectId: m.aadObjectId } : {}) }));
  }

  /** Runs `call` inside a proactive turn, which is where botbuilder sets up the connector credentials. */
  private async inTurn<T>(reference: Partial<ConversationReference>, call: (context: TurnContext) => Promise<T>): Promise<T> {
    let result: { value: T } | undefined;
    await this.adapter.continueConversationAsync(this.adapter.appId, reference, async (context) => {
      result = { value: await call(context) };
    });
    if (!result) throw new ProviderError('the Bot Connector call did not run', { isRetryable: true, code: 'teams_connector' });
    return result.value;
  }
}

function requireConversation(reference: Partial<ConversationReference>): string {
  const id = reference.conversation?.id;
  if (!id || !reference.serviceUrl) throw new ProviderError('the Teams conversation reference is incomplete', { isRetryable: false, code: 'teams_reference' });
  return id;
}

/** Fills in from/conversation/channel as the connector expects, without replying to anything. */
function addressed(activity: Partial<Activity>, reference: Partial<ConversationReference>): Partial<Activity> {
  const out = TurnContext.applyConversationReference({ type: 'message', ...activity }, { ...reference, activityId: undefined } as ConversationReference);
  delete out.replyToId;
  return out;
}

/** Connector failures as the outbox understands them: 5xx, 408 and 429 retryable, with Retry-After. */
export function outcomeFromConnectorError(err: unknown): DeliveryOutcome {
  if (err instanceof ConnectorHttpError) return outcomeFromHttp(err.statusCode, err.retryAfter, err.body);
  const e = err as {
    statusCode?: number;
    status?: number;
    code?: string;
    message?: string;
    isRetryable?: boolean;
    response?: { headers?: { get?(name: string): string | undefined | null }; bodyAsText?: string | null };
  };
  const status = e?.statusCode ?? (typeof e?.status === 'number' ? e.status : undefined);
  if (err instanceof ProviderError && status === undefined) return { ok: false, retryable: err.isRetryable, error: err.message };
  if (typeof status === 'number' && status > 0) {
    const retryAfter = e.response?.headers?.get?.('retry-after') ?? null;
    return outcomeFromHttp(status, retryAfter, e.response?.bodyAsText ?? e.message ?? '');
  }
  // No status: the connector could not be reached (DNS, refused, reset, timeout). Worth retrying.
  return { ok: false, retryable: true, error: `Bot Connector unreachable: ${e?.code ?? e?.message ?? String(err)}` };
}
