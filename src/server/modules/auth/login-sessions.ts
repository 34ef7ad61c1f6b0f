/**
 * Login sessions (sign-in, table `user_sessions`), not to be confused with the case sessions of
 * casework: opaque 256-bit tokens in a cookie; only their SHA-256 is stored.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie, deleteCookie } from 'hono/cookie';
import { isStaff } from '../../../core/roles.ts';
import type { Db, DbOrTx } from '../../db/schema.ts';
import type { AppEnv } from '../../http/context.ts';
import type { Principal } from '../../access/principal.ts';
import type { Config } from '../../config.ts';
import { newToken, tokenHash } from './tokens.ts';

/** Cookie name; the __Host- prefix (Secure, path /, no domain) when served over https. */
export function loginCookieName(config: Config): string {
  return config.secureCookies ? '__Host-sanad_session' : 'sanad_session';
}

/** Creates a login session for a user and returns the token to put in the cookie. */
export async function createLoginSession(
  db: DbOrTx,
  config: Config,
  user: { id: string; tenant_id: string },
  opts: { mfaPassed: boolean; userAgent?: string },
): Promise<string> {
  const token = newToken();
  await db
    .insertInto('user_sessions')
    .values({
      token_hash: tokenHash(token),
      user_id: user.id,
      tenant_id: user.tenant_id,
      mfa_passed: opts.mfaPassed,
      expires_at: new Date(Date.now() + config.sessionAbsoluteHours * 3600_000),
      user_agent: opts.userAgent?.slice(0, 200) ?? null,
    })
    .execute();
  return token;
}

/** Sets the login cookie: HttpOnly, SameSite=Strict, Secure behind https. */
export function setLoginCookie(c: Context<AppEnv>, config: Config, token: string): void {
  setCookie(c, loginCookieName(config), token, {
    httpOnly: true,
    sameSite: 'Strict',
    secure: config.secureCookies,
    path: '/',
    maxAge: config.sessionAbsoluteHours * 3600,
  });
}

/** Removes the login cookie from the browser. */
export function clearLoginCookie(c: Context<AppEnv>, config: Config): void {
  deleteCookie(c, loginCookieName(config), { path: '/', secure: config.secureCookies });
}

/** Ends one login session. */
export async function revokeLoginSession(db: DbOrTx, hash: Buffer): Promise<void> {
  await db
    .updateTable('user_sessions')
    .set({ revoked_at: new Date() })
    .where('token_hash', '=', hash)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Ends every login session of a user (log out everywhere, disabled account, password change). */
export async function revokeAllLoginSessions(db: DbOrTx, userId: string, exceptHash?: Buffer): Promise<void> {
  let q = db
    .updateTable('user_sessions')
    .set({ revoked_at: new Date() })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (exceptHash) q = q.where('token_hash', '!=', exceptHash);
  await q.execute();
}

/**
 * How long after the last refresh the idle clock is written again: a tenth of the idle window, at
 * most a minute. Any idle setting then gives an active user at least 90% of the window between
 * requests, and a busy session writes at most once a minute (never on every request).
 */
export function idleRefreshMs(idleMinutes: number): number {
  return Math.min(60_000, (idleMinutes * 60_000) / 10);
}

/** Loads the principal of a login session by token hash, or null if it is unknown, revoked, idle or expired. */
export async function loadLoginSession(db: Db, config: Config, hash: Buffer): Promise<Principal | null> {
  const row = await db
    .selectFrom('user_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .innerJoin('tenants as t', 't.id', 'u.tenant_id')
    .select([
      's.id as session_id',
      's.mfa_passed',
      's.created_at',
      's.last_seen_at',
      's.expires_at',
      's.revoked_at',
      'u.id as user_id',
      'u.tenant_id',
      'u.email',
      'u.display_name',
      'u.roles',
      'u.status',
      'u.totp_enabled',
      'u.is_demo',
      'u.locale',
      'u.calendar',
      't.name as tenant_name',
      't.is_demo as tenant_is_demo',
    ])
    .where('s.token_hash', '=', hash)
    .executeTakeFirst();
  if (!row || row.revoked_at || row.status !== 'active') return null;
  // The app's clock throughout (compared and written), so tests can move it with a mocked Date.
  const now = Date.now();
  const idleMs = config.sessionIdleMinutes * 60_000;
  if (row.expires_at.getTime() <= now || row.last_seen_at.getTime() + idleMs <= now) {
    await revokeLoginSession(db, hash);
    return null;
  }
  // Refresh the idle clock once a tenth of the idle window has passed (see idleRefreshMs), so a
  // session in use never idles out, whatever the setting, and reads do not each become a write. The
  // time written is the one compared above; it never moves backwards (parallel requests, nodes).
  let lastSeen = row.last_seen_at;
  if (now - row.last_seen_at.getTime() >= idleRefreshMs(config.sessionIdleMinutes)) {
    lastSeen = new Date(now);
    await db
      .updateTable('user_sessions')
      .set({ last_seen_at: lastSeen })
      .where('token_hash', '=', hash)
      .where('last_seen_at', '<', lastSeen)
      .execute();
  }
  return {
    userId: row.user_id,
    tenantId: row.tenant_id,
    email: row.email,
    displayName: row.display_name,
    roles: row.roles,
    sessionId: row.session_id,
    mfaPassed: row.mfa_passed,
    mfaEnabled: row.totp_enabled,
    mustEnrolMfa: !row.totp_enabled && mfaRequired(row),
    isDemo: row.is_demo,
    locale: row.locale,
    calendar: row.calendar,
    tenantName: row.tenant_name,
    tenantIsDemo: row.tenant_is_demo,
    sessionCreatedAt: row.created_at,
    sessionExpiresAt: row.expires_at,
    lastSeenAt: lastSeen,
  };
}

/** Whether an account must pass TOTP: every non-demo staff account. */
export function mfaRequired(u: { roles: string[]; is_demo: boolean }): boolean {
  return isStaff(u.roles) && !u.is_demo;
}

/** Reads the login cookie and sets `principal` (possibly null) on the context. */
export function loginSessionMiddleware(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const services = c.get('services');
    const token = getCookie(c, loginCookieName(services.config));
    if (token && token.length <= 100) {
      const hash = tokenHash(token);
      c.set('sessionTokenHash', hash);
      c.set('principal', await loadLoginSession(services.db, services.config, hash));
    }
    await next();
  };
}
