// Sign-in for the triage dashboard: a shared token plus the person's name, then a signed session
// cookie. The session is stateless (id, expiry and name signed with a key derived from the token),
// so replicas sharing TRIAGE_TOKEN accept each other's sessions and changing the token ends them all.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Request, Response } from 'express';
import type { Actor } from '../queue/index.js';
import type { Logger } from '../shared/logger.js';

export const SESSION_COOKIE = 'navigator_triage';
export const PRE_SESSION_COOKIE = 'navigator_triage_pre';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface TriageSession {
  id: string;
  name: string;
  expiresAt: number;
  csrf: string;
  actor: Actor;
}

/** The configured token, or a fresh random one written (0600) to DATA_DIR/triage-token; only the path is logged. */
export function resolveTriageToken(config: { triageToken?: string; dataDir: string }, logger: Logger): string {
  if (config.triageToken) return config.triageToken;
  const token = randomBytes(24).toString('base64url');
  const file = join(config.dataDir, 'triage-token');
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(file, `${token}\n`, { mode: 0o600 });
  chmodSync(file, 0o600); // writeFileSync keeps the mode of an existing file
  logger.warn('TRIAGE_TOKEN is not set: generated a sign-in token for /triage', { file });
  return token;
}

/** Equal-time comparison of any two strings (hashing first makes the lengths equal). */
export function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb);
}

export function actorFor(name: string): Actor {
  return { id: `web:${name}`, name, via: 'triage' };
}

/** A display name: printable, trimmed, 1–80 characters; null when unusable. */
export function cleanName(raw: unknown): string | null {
  if (typeof raw !== 'string') return null;
  const name = raw.replace(/[\p{Cc}\p{Cf}]/gu, '').replace(/\s+/g, ' ').trim();
  return name.length >= 1 && name.length <= 80 ? name : null;
}

export class TriageAuth {
  private readonly key: Buffer;
  /** Signed-out session ids until they would have expired anyway (per process). */
  private readonly revoked = new Map<string, number>();

  constructor(
    private readonly token: string,
    private readonly now: () => number = Date.now,
  ) {
    this.key = createHmac('sha256', token).update('navigator-triage-session-v1').digest();
  }

  checkToken(candidate: unknown): boolean {
    return typeof candidate === 'string' && constantTimeEqual(candidate, this.token);
  }

  /** Starts a session and sets its cookie. */
  signIn(req: Request, res: Response, name: string): TriageSession {
    const id = randomBytes(18).toString('base64url');
    const expiresAt = this.now() + SESSION_TTL_MS;
    const body = `${id}.${expiresAt}.${Buffer.from(name, 'utf8').toString('base64url')}`;
    res.cookie(SESSION_COOKIE, `${body}.${this.sign(body)}`, this.cookieOptions(req, SESSION_TTL_MS));
    res.clearCookie(PRE_SESSION_COOKIE, { path: '/triage' });
    return this.toSession(id, name, expiresAt);
  }

  signOut(req: Request, res: Response): void {
    const session = this.session(req);
    if (session) this.revoked.set(session.id, session.expiresAt);
    res.clearCookie(SESSION_COOKIE, { path: '/triage' });
  }

  /** The valid, unexpired, not signed-out session of this request, or null. */
  session(req: Request): TriageSession | null {
    const raw = readCookie(req, SESSION_COOKIE);
    const parts = raw?.split('.');
    if (!parts || parts.length !== 4) return null;
    const [id, exp, nameB64, sig] = parts as [string, string, string, string];
    if (!constantTimeEqual(sig, this.sign(`${id}.${exp}.${nameB64}`))) return null;
    const expiresAt = Number(exp);
    if (!Number.isFinite(expiresAt) || expiresAt <= this.now()) return null;
    this.pruneRevoked();
    if (this.revoked.has(id)) return null;
    const name = cleanName(Buffer.from(nameB64, 'base64url').toString('utf8'));
    return name ? this.toSession(id, name, expiresAt) : null;
  }

  /** The sign-in form's CSRF value, bound to a random pre-session cookie (login CSRF). */
  preSessionCsrf(req: Request, res: Response): string {
    let pre = readCookie(req, PRE_SESSION_COOKIE);
    if (!pre || !/^[A-Za-z0-9_-]{16,64}$/.test(pre)) {
      pre = randomBytes(18).toString('base64url');
      res.cookie(PRE_SESSION_COOKIE, pre, this.cookieOptions(req, 60 * 60 * 1000));
    }
    return this.sign(`pre:${pre}`);
  }

  checkPreSessionCsrf(req: Request, candidate: unknown): boolean {
    const pre = readCookie(req, PRE_SESSION_COOKIE);
    return Boolean(pre) && typeof candidate === 'string' && constantTimeEqual(candidate, this.sign(`pre:${pre}`));
  }

  checkCsrf(session: TriageSession, candidate: unknown): boolean {
    return typeof candidate === 'string' && constantTimeEqual(candidate, session.csrf);
  }

  private toSession(id: string, name: string, expiresAt: number): TriageSession {
    return { id, name, expiresAt, csrf: this.sign(`csrf:${id}`), actor: actorFor(name) };
  }

  private sign(value: string): string {
    return createHmac('sha256', this.key).update(value).digest('base64url');
  }

  private cookieOptions(req: Request, maxAge: number) {
    return { httpOnly: true, sameSite: 'strict' as const, secure: req.secure, path: '/triage', maxAge };
  }

  private pruneRevoked(): void {
    const now = this.now();
    for (const [id, exp] of this.revoked) if (exp <= now) this.revoked.delete(id);
  }
}

/** Reads one cookie without a parser dependency; malformed encodings count as absent. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== name) continue;
    try {
      return decodeURIComponent(pair.slice(eq + 1).trim());
    } catch {
      return undefined;
    }
  }
  return undefined;
}
