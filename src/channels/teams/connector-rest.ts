// Posting and updating activities (and reading members) on the Bot Connector REST API ourselves. botframework-connector
// 4.23's client serialises activities through @azure/core-client, which keeps only the properties
// its Entity model declares (type, text, mentioned): citation claims, the AI label and stream
// info would be silently dropped. Activities are plain JSON, so they go as such; authentication
// still comes from botbuilder (the credentials of the turn's connector client).
import type { Activity } from 'botbuilder';

export interface RequestSigner {
  signRequest(request: { headers: { set(name: string, value: string): void } }): Promise<unknown>;
}

/** A non-2xx answer from the connector, with what the outbox needs to schedule a retry. */
export class ConnectorHttpError extends Error {
  override name = 'ConnectorHttpError';
  constructor(
    readonly statusCode: number,
    readonly retryAfter: string | null,
    readonly body: string,
  ) {
    super(`Bot Connector answered HTTP ${statusCode}`);
  }
}

export interface ConnectorRestOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  /** Wait out one 429/503 with a short Retry-After before giving up (for interactive replies). */
  retryThrottled?: boolean;
}

const MAX_THROTTLE_WAIT_MS = 5000;

export class ConnectorRest {
  constructor(private readonly options: ConnectorRestOptions = {}) {}

  /** POST …/activities, or …/activities/{replyToId} to reply in a thread. */
  async send(
    target: { serviceUrl: string; conversationId: string; replyToId?: string },
    activity: Partial<Activity>,
    signer: RequestSigner,
  ): Promise<{ id?: string }> {
    const path = `v3/conversations/${encodeURIComponent(target.conversationId)}/activities${target.replyToId ? `/${encodeURIComponent(target.replyToId)}` : ''}`;
    const res = await this.request('POST', target.serviceUrl, path, activity, signer);
    return parseResource(res);
  }

  /** PUT …/activities/{activityId}: replaces the message (a card updated in place). */
  async update(target: { serviceUrl: string; conversationId: string; activityId: string }, activity: Partial<Activity>, signer: RequestSigner): Promise<{ id?: string }> {
    const path = `v3/conversations/${encodeURIComponent(target.conversationId)}/activities/${encodeURIComponent(target.activityId)}`;
    const res = await this.request('PUT', target.serviceUrl, path, { ...activity, id: target.activityId }, signer);
    return parseResource(res);
  }

  /**
   * Everyone in a team (or group chat), page by page: GET …/conversations/{id}/pagedmembers, which
   * Teams recommends over the older unpaged /members for large teams.
   */
  async members(target: { serviceUrl: string; conversationId: string }, signer: RequestSigner): Promise<Array<{ id: string; name?: string; aadObjectId?: string }>> {
    const out: Array<{ id: string; name?: string; aadObjectId?: string }> = [];
    let token: string | undefined;
    for (let page = 0; page < 40; page++) {
      const query = `pageSize=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`;
      const text = await this.request('GET', target.serviceUrl, `v3/conversations/${encodeURIComponent(target.conversationId)}/pagedmembers?${query}`, undefined, signer);
      const json = JSON.parse(text || '{}') as { members?: unknown; continuationToken?: unknown };
      if (!Array.isArray(json.members)) throw new ConnectorHttpError(502, null, 'the member list was not in the expected shape');
      for (const m of json.members as Array<Record<string, unknown>>) {
        if (m && typeof m.id === 'string') {
          out.push({ id: m.id, ...(typeof m.name === 'string' ? { name: m.name } : {}), ...(typeof m.aadObjectId === 'string' ? { aadObjectId: m.aadObjectId } : {}) });
        }
      }
      token = typeof json.continuationToken === 'string' && json.continuationToken ? json.continuationToken : undefined;
      if (!token) break;
    }
    return out;
  }

  private async request(method: 'GET' | 'POST' | 'PUT', serviceUrl: string, path: string, body: unknown, signer: RequestSigner): Promise<string> {
    const url = new URL(path, serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`).toString();
    const doFetch = this.options.fetch ?? fetch;
    for (let attempt = 1; ; attempt++) {
      const headers: Record<string, string> = { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json; charset=utf-8' }) };
      await signer.signRequest({ headers: { set: (name, value) => void (headers[name.toLowerCase()] = value) } });
      const res = await doFetch(url, {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      const text = await res.text();
      if (res.ok) return text;
      const retryAfter = res.headers.get('retry-after');
      const waitMs = retryAfter && /^\d+(\.\d+)?$/.test(retryAfter.trim()) ? Number(retryAfter) * 1000 : 1000;
      if (this.options.retryThrottled && attempt === 1 && (res.status === 429 || res.status === 503) && waitMs <= MAX_THROTTLE_WAIT_MS) {
        await new Promise((r) => setTimeout(r, waitMs));
        continue;
      }
      throw new ConnectorHttpError(res.status, retryAfter, text.slice(0, 500));
    }
  }
}

function parseResource(text: string): { id?: string } {
  if (!text) return {};
  try {
    const json = JSON.parse(text) as { id?: unknown };
    return typeof json.id === 'string' ? { id: json.id } : {};
  } catch {
    return {};
  }
}
