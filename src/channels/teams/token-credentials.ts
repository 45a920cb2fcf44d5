// Outgoing-call credentials when TEAMS_OAUTH_URL points the token endpoint somewhere other than
// Microsoft's login service (a sovereign or test endpoint). botframework-connector's own factory
// goes through MSAL, which insists on discovering the authority from Microsoft's servers first; this
// does the plain OAuth 2.0 client-credentials request the Bot Framework documents, and caches it.
import { ProviderError } from '../../shared/errors.js';

/** The slice of Azure's WebResource that signing touches. */
interface SignableRequest {
  headers: { set(name: string, value: string): void };
}

export interface RequestSigner {
  signRequest<T extends SignableRequest>(request: T): Promise<T>;
}

export interface ClientCredentialsOptions {
  tokenUrl: string;
  appId: string;
  appPassword: string;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The ServiceClientCredentialsFactory contract, structurally (botframework-connector's is abstract). */
export class ClientCredentialsFactory {
  private readonly signers = new Map<string, TokenSigner>();

  constructor(private readonly options: ClientCredentialsOptions) {}

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.options.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return !this.options.appId;
  }

  async createCredentials(appId: string, audience: string | undefined): Promise<RequestSigner> {
    if (appId !== this.options.appId) throw new Error('Invalid appId.');
    const scope = `${(audience || 'https://api.botframework.com').replace(/\/+$/, '')}/.default`;
    let signer = this.signers.get(scope);
    if (!signer) {
      signer = new TokenSigner(this.options, scope);
      this.signers.set(scope, signer);
    }
    return signer;
  }

  toJSON(): Record<string, string> {
    // Never serialise the password (botbuilder logs factories in some error paths).
    return { name: 'ClientCredentialsFactory', appId: this.options.appId };
  }
}

class TokenSigner implements RequestSigner {
  private cached: { token: string; expiresAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly options: ClientCredentialsOptions,
    private readonly scope: string,
  ) {}

  async signRequest<T extends SignableRequest>(request: T): Promise<T> {
    request.headers.set('authorization', `Bearer ${await this.token()}`);
    return request;
  }

  private async token(): Promise<string> {
    const now = (this.options.now ?? Date.now)();
    // Renew five minutes early so a token never expires mid-request.
    if (this.cached && this.cached.expiresAt - 5 * 60_000 > now) return this.cached.token;
    this.pending ??= this.fetchToken(now).finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(now: number): Promise<string> {
    const doFetch = this.options.fetch ?? fetch;
    const body = new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: this.options.appId,
      client_secret: this.options.appPassword,
      scope: this.scope,
    });
    let res: Response;
    try {
      res = await doFetch(this.options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body,
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new ProviderError('could not reach the Bot Framework token endpoint', { cause: err, isRetryable: true, code: 'teams_token' });
    }
    const json = (await res.json().catch(() => ({}))) as { access_token?: unknown; expires_in?: unknown };
    if (!res.ok || typeof json.access_token !== 'string') {
      throw new ProviderError(`the Bot Framework token endpoint answered ${res.status}`, {
        isRetryable: res.status >= 500 || res.status === 429,
        status: res.status,
        code: 'teams_token',
      });
    }
    const seconds = Number(json.expires_in);
    this.cached = { token: json.access_token, expiresAt: now + (Number.isFinite(seconds) && seconds > 0 ? seconds : 3600) * 1000 };
    return json.access_token;
  }
}
