// An HTTP client for the triage dashboard as a browser would use it: cookies, the sign-in form's
// CSRF field, and the CSRF field of the pages it posts from. No browser, just fetch.
export const TRIAGE_TOKEN = 'test-triage-token-123';

export class CookieJar {
  private readonly cookies = new Map<string, string>();
  store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  get(name: string): string | undefined {
    return this.cookies.get(name);
  }
  set(name: string, value: string): void {
    this.cookies.set(name, value);
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error(`no CSRF field in page:\n${html.slice(0, 500)}`);
  return m[1]!;
}

export class TriageClient {
  readonly jar = new CookieJar();
  constructor(readonly baseUrl: string) {}

  async get(path: string): Promise<Response> {
    const res = await fetch(this.baseUrl + path, { headers: { cookie: this.jar.header() }, redirect: 'manual' });
    this.jar.store(res);
    return res;
  }

  async post(path: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    const res = await fetch(this.baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: this.jar.header(), ...headers },
      body: new URLSearchParams(form).toString(),
      redirect: 'manual',
    });
    this.jar.store(res);
    return res;
  }

  /** Fills in the sign-in form; returns the POST response (303 on success). */
  async signIn(name: string, token = TRIAGE_TOKEN): Promise<Response> {
    const page = await this.get('/triage/sign-in');
    const csrf = csrfOf(await page.text());
    return this.post('/triage/sign-in', { csrf, name, token, next: '/triage' });
  }

  /** Posts a form from `pagePath` with that page's CSRF token, as the dashboard's buttons do. */
  async act(pagePath: string, action: string, form: Record<string, string> = {}): Promise<Response> {
    const page = await this.get(pagePath);
    const csrf = csrfOf(await page.text());
    return this.post(action, { csrf, ...form });
  }
}
