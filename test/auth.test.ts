/** Accounts: sign-in with TOTP, enrolment, lockout (also under parallel bursts; TOTP escalation, capped locks, unlock), identical failures, sessions and the idle clock, invitations, disable. */
import crypto from 'node:crypto';
import { after, before, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { generate } from 'otplib';
import { sql } from 'kysely';
import { call, closeShared, makeTenant, ORIGIN, PASSWORD, shared$ } from './helpers.ts';
import {
  FREE_FAILURES,
  MAX_LOCK_SECONDS,
  MAX_MFA_LOCK_SECONDS,
  throttleKey,
} from '../src/server/modules/auth/throttle.ts';
import { unlockFromCli } from '../src/cli/users.ts';
import { tokenHash } from '../src/server/modules/auth/tokens.ts';
import { createApp } from '../src/server/app.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
before(async () => {
  ctx = await shared$();
});
after(closeShared);

function cookieFrom(res: { headers: Headers }): string {
  const sc = res.headers.get('set-cookie') ?? '';
  const m = /sanad_session=([^;]*)/.exec(sc);
  assert.ok(m, `no session cookie in ${sc}`);
  return `sanad_session=${m[1]}`;
}

async function code(secret: string, offset = 0) {
  return generate({ secret, epoch: Math.floor(Date.now() / 1000) + offset });
}

test('password then TOTP; the session is rotated after the second factor and cookies are hardened', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const u = t.users.cm!;
  const r1 = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: u.email.toUpperCase(), password: PASSWORD },
  });
  assert.equal(r1.status, 200);
  assert.equal(r1.body.status, 'mfa_required');
  const sc = r1.headers.get('set-cookie')!;
  assert.match(sc, /HttpOnly/);
  assert.match(sc, /SameSite=Strict/);
  const partial = cookieFrom(r1);
  // A half-signed-in session reaches nothing but the MFA step.
  const blocked = await call(ctx.app, 'GET', '/api/v1/participants', { cookie: partial });
  assert.equal(blocked.status, 401);
  assert.equal(blocked.body.error.code, 'MFA_REQUIRED');
  const me0 = await call(ctx.app, 'GET', '/api/v1/me', { cookie: partial });
  assert.equal(me0.body.session.mfaPassed, false);
  const wrong = await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: '000000' } });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error.code, 'MFA_INVALID');
  const good = await code(u.totpSecret);
  const r2 = await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: good } });
  assert.equal(r2.status, 200, r2.text);
  const full = cookieFrom(r2);
  assert.notEqual(full, partial, 'a new token after MFA (no session fixation)');
  assert.equal((await call(ctx.app, 'GET', '/api/v1/participants', { cookie: full })).status, 200);
  assert.equal(
    (await call(ctx.app, 'GET', '/api/v1/me', { cookie: partial })).status,
    401,
    'the pre-MFA token is dead',
  );
  // The same code cannot be replayed in another sign-in.
  const again = await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD } });
  const replay = await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: cookieFrom(again), body: { code: good } });
  assert.equal(replay.status, 401);
});

test('non-demo staff without TOTP must enrol first (QR code), then are signed in', async () => {
  const t = await makeTenant(ctx.services, { sw: { roles: ['social_worker'], team: 'a' } });
  const u = t.users.sw!;
  await ctx.services.db
    .updateTable('users')
    .set({ totp_enabled: false, totp_secret: null })
    .where('id', '=', u.id)
    .execute();
  const r1 = await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD } });
  assert.equal(r1.body.status, 'mfa_enrol_required');
  const c1 = cookieFrom(r1);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/participants', { cookie: c1 })).status, 401);
  const setup = await call(ctx.app, 'POST', '/api/v1/auth/mfa/setup', { cookie: c1 });
  assert.equal(setup.status, 200);
  assert.match(setup.body.qrSvg, /^<svg/);
  assert.match(setup.body.otpauthUrl, /^otpauth:\/\/totp\//);
  const bad = await call(ctx.app, 'POST', '/api/v1/auth/mfa/enable', { cookie: c1, body: { code: '123' } });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].path, 'code');
  const en = await call(ctx.app, 'POST', '/api/v1/auth/mfa/enable', {
    cookie: c1,
    body: { code: await code(setup.body.secret) },
  });
  assert.equal(en.status, 200, en.text);
  const me = await call(ctx.app, 'GET', '/api/v1/me', { cookie: cookieFrom(en) });
  assert.equal(me.body.user.mfaEnabled, true);
  assert.equal(me.body.session.mfaPassed, true);
  const row = await ctx.services.db
    .selectFrom('users')
    .select(['totp_secret'])
    .where('id', '=', u.id)
    .executeTakeFirstOrThrow();
  assert.ok(!row.totp_secret!.toString('latin1').includes(setup.body.secret), 'the TOTP secret is stored encrypted');
});

test('unknown email and wrong password give the same status and body; lockout applies to both', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const strip = (b: { error: Record<string, unknown> }) => ({ ...b.error, requestId: '-' });
  const a = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: t.users.cm!.email, password: 'wrong password 123' },
  });
  const b = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: `nobody-${t.tenantId}@test.sanad.example`, password: 'wrong password 123' },
  });
  const c = await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: 'not an email', password: 'x' } });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(c.status, 401);
  assert.deepEqual(strip(a.body), strip(b.body));
  assert.deepEqual(strip(a.body), strip(c.body));
  assert.equal(a.headers.get('set-cookie'), null);
  for (const email of [t.users.cm!.email, `nobody-${t.tenantId}@test.sanad.example`]) {
    for (let i = 1; i < FREE_FAILURES; i++)
      await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email, password: 'wrong password 123' } });
    const locked = await call(ctx.app, 'POST', '/api/v1/auth/login', {
      body: { email, password: 'wrong password 123' },
    });
    assert.equal(locked.status, 429, email);
    assert.equal(locked.body.error.code, 'ACCOUNT_LOCKED');
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
  }
  // While locked, even the right password is refused.
  const right = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: t.users.cm!.email, password: PASSWORD },
  });
  assert.equal(right.status, 429);
  // Failures are audited without the email typed.
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .selectAll()
    .where('action', '=', 'auth.login')
    .where('outcome', '=', 'denied')
    .where('entity_id', '=', t.users.cm!.id)
    .execute();
  assert.ok(ev.length >= 1);
});

test('idle and absolute timeouts end sessions; logout and logout-all revoke', async () => {
  const t = await makeTenant(ctx.services, {
    a: { roles: ['case_manager'], team: 'a' },
    b: { roles: ['case_manager'], team: 'a' },
    c: { roles: ['case_manager'], team: 'a' },
  });
  const hash = (cookie: string) => sql`sha256(convert_to(${cookie.split('=')[1]}, 'UTF8'))`;
  await sql`update user_sessions set last_seen_at = now() - interval '16 minutes' where token_hash = ${hash(t.users.a!.cookie)}`.execute(
    ctx.services.db,
  );
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.a!.cookie })).status, 401);
  await sql`update user_sessions set expires_at = now() - interval '1 second' where token_hash = ${hash(t.users.b!.cookie)}`.execute(
    ctx.services.db,
  );
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.b!.cookie })).status, 401);
  // Fresh activity keeps a session alive.
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.c!.cookie })).status, 200);
  const out = await call(ctx.app, 'POST', '/api/v1/auth/logout', { cookie: t.users.c!.cookie });
  assert.equal(out.status, 204);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.c!.cookie })).status, 401);

  // Log out everywhere: two sign-ins of the same user both die.
  const u = await makeTenant(ctx.services, { d: { roles: ['learner'] } });
  const s1 = cookieFrom(
    await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: u.users.d!.email, password: PASSWORD } }),
  );
  const other = u.users.d!.cookie;
  const all = await call(ctx.app, 'POST', '/api/v1/auth/logout-all', { cookie: other });
  assert.equal(all.status, 204);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: s1 })).status, 401);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: other })).status, 401);
});

test('change password checks the current one and the policy, and ends other sessions', async () => {
  const t = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const u = t.users.l!;
  const second = cookieFrom(
    await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD } }),
  );
  const wrong = await call(ctx.app, 'POST', '/api/v1/me/password', {
    cookie: u.cookie,
    body: { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' },
  });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.body.error.code, 'PASSWORD_WRONG');
  const short = await call(ctx.app, 'POST', '/api/v1/me/password', {
    cookie: u.cookie,
    body: { currentPassword: PASSWORD, newPassword: 'short' },
  });
  assert.equal(short.body.error.code, 'PASSWORD_TOO_SHORT');
  const common = await call(ctx.app, 'POST', '/api/v1/me/password', {
    cookie: u.cookie,
    body: { currentPassword: PASSWORD, newPassword: 'password1234' },
  });
  assert.equal(common.body.error.code, 'PASSWORD_COMMON');
  // No composition rules: a long lowercase passphrase is fine.
  const ok = await call(ctx.app, 'POST', '/api/v1/me/password', {
    cookie: u.cookie,
    body: { currentPassword: PASSWORD, newPassword: 'river stone lantern morning' },
  });
  assert.equal(ok.status, 204, ok.text);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: u.cookie })).status, 200, 'this session stays');
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: second })).status, 401, 'other sessions end');
  assert.equal(
    (
      await call(ctx.app, 'POST', '/api/v1/auth/login', {
        body: { email: u.email, password: 'river stone lantern morning' },
      })
    ).status,
    200,
  );
});

test('an administrator invites by one-time link; the invitee sets their own password', async () => {
  const t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    cm: { roles: ['case_manager'], team: 'a' },
  });
  const email = `new-${t.tenantId}@test.sanad.example`;
  const denied = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.cm!.cookie,
    body: { email, displayName: 'New', roles: ['learner'] },
  });
  assert.equal(denied.status, 403);
  const inv = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: {
      email: email.toUpperCase(),
      displayName: 'New Person',
      roles: ['learner', 'learner'],
      password: 'admins never set this',
    },
  });
  assert.equal(inv.status, 400, 'unknown fields such as a password are refused');
  assert.equal(inv.body.error.details[0].code, 'unknown_field');
  const ok = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email: email.toUpperCase(), displayName: 'New Person', roles: ['learner', 'learner'] },
  });
  assert.equal(ok.status, 201, ok.text);
  assert.deepEqual(ok.body.invitation.roles, ['learner']);
  const token = ok.body.link.split('/invite/')[1];
  const dup = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email, displayName: 'Again', roles: ['learner'] },
  });
  assert.equal(dup.status, 409);
  const info = await call(ctx.app, 'GET', `/api/v1/auth/invitations/${token}`);
  assert.equal(info.status, 200);
  assert.equal(info.body.email, email);
  const weak = await call(ctx.app, 'POST', `/api/v1/auth/invitations/${token}/accept`, {
    body: { displayName: 'New Person', password: 'qwertyuiop123' },
  });
  assert.equal(weak.status, 422);
  const acc = await call(ctx.app, 'POST', `/api/v1/auth/invitations/${token}/accept`, {
    body: { displayName: 'New Person', password: 'my own long passphrase' },
  });
  assert.equal(acc.status, 200, acc.text);
  const reuse = await call(ctx.app, 'POST', `/api/v1/auth/invitations/${token}/accept`, {
    body: { displayName: 'X', password: 'another long passphrase' },
  });
  assert.equal(reuse.status, 404);
  assert.equal(reuse.body.error.code, 'INVITATION_INVALID');
  const login = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email, password: 'my own long passphrase' },
  });
  assert.equal(login.body.status, 'ok', 'a learner needs no TOTP');
});

test('disabling an account ends its sessions at once; roles change with version checks; scope is the tenant', async () => {
  const t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    cm: { roles: ['case_manager'], team: 'a' },
  });
  const other = await makeTenant(ctx.services, { admin: { roles: ['tenant_admin'] } });
  const list = await call(ctx.app, 'GET', '/api/v1/users?limit=10', { cookie: t.users.admin!.cookie });
  assert.equal(list.status, 200);
  assert.equal(list.body.items.length, 2);
  const cm = list.body.items.find((i: { id: string }) => i.id === t.users.cm!.id);
  const cross = await call(ctx.app, 'POST', `/api/v1/users/${cm.id}/disable`, {
    cookie: other.users.admin!.cookie,
    headers: { 'if-match': String(cm.version) },
  });
  assert.equal(cross.status, 404);
  const stale = await call(ctx.app, 'POST', `/api/v1/users/${cm.id}/disable`, {
    cookie: t.users.admin!.cookie,
    headers: { 'if-match': String(cm.version + 1) },
  });
  assert.equal(stale.status, 409);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie })).status, 200);
  const dis = await call(ctx.app, 'POST', `/api/v1/users/${cm.id}/disable`, {
    cookie: t.users.admin!.cookie,
    headers: { 'if-match': String(cm.version) },
  });
  assert.equal(dis.status, 200);
  assert.equal(dis.body.status, 'disabled');
  assert.equal(
    (await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie })).status,
    401,
    'session killed',
  );
  const login = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: t.users.cm!.email, password: PASSWORD },
  });
  assert.equal(login.status, 401);
  const roles = await call(ctx.app, 'PATCH', `/api/v1/users/${cm.id}`, {
    cookie: t.users.admin!.cookie,
    body: { roles: ['psychologist', 'nonsense'] },
    headers: { 'if-match': String(dis.body.version) },
  });
  assert.equal(roles.status, 400);
  assert.match(roles.body.error.details[0].path, /^roles\.1/);
  const roles2 = await call(ctx.app, 'PATCH', `/api/v1/users/${cm.id}`, {
    cookie: t.users.admin!.cookie,
    body: { roles: ['psychologist'] },
    headers: { 'if-match': String(dis.body.version) },
  });
  assert.equal(roles2.status, 200);
  assert.deepEqual(roles2.body.roles, ['psychologist']);
  const self = await call(ctx.app, 'POST', `/api/v1/users/${t.users.admin!.id}/disable`, {
    cookie: t.users.admin!.cookie,
    headers: { 'if-match': '1' },
  });
  assert.equal(self.status, 400);
});

test('separation of duties: admins cannot change their own roles or hand out dpo / tenant_admin', async () => {
  const t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    cm: { roles: ['case_manager'], team: 'a' },
  });
  const self = await call(ctx.app, 'PATCH', `/api/v1/users/${t.users.admin!.id}`, {
    cookie: t.users.admin!.cookie,
    body: { roles: ['tenant_admin', 'dpo'] },
    headers: { 'if-match': '1' },
  });
  assert.equal(self.status, 403);
  const grant = await call(ctx.app, 'PATCH', `/api/v1/users/${t.users.cm!.id}`, {
    cookie: t.users.admin!.cookie,
    body: { roles: ['case_manager', 'dpo'] },
    headers: { 'if-match': '1' },
  });
  assert.equal(grant.status, 403);
  assert.equal(grant.body.error.details[0].code, 'operator_only:dpo');
  const invite = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email: `x-${t.tenantId}@test.sanad.example`, displayName: 'X', roles: ['tenant_admin'] },
  });
  assert.equal(invite.status, 403);
  const roles = await ctx.services.db
    .selectFrom('users')
    .select('roles')
    .where('id', '=', t.users.cm!.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(roles.roles, ['case_manager']);
});

test('a password-only session cannot log the owner out everywhere or change preferences', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const partial = cookieFrom(
    await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: t.users.cm!.email, password: PASSWORD } }),
  );
  assert.equal((await call(ctx.app, 'POST', '/api/v1/auth/logout-all', { cookie: partial })).status, 401);
  assert.equal(
    (await call(ctx.app, 'PATCH', '/api/v1/me/preferences', { cookie: partial, body: { locale: 'ar' } })).status,
    401,
  );
  assert.equal(
    (await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie })).status,
    200,
    'the real session lives on',
  );
});

/** Signs in from a given client address (so bursts do not share the per-address rate limit). */
async function loginFrom(
  ip: string,
  email: string,
  password: string,
): Promise<{ status: number; code?: string; cookie: string | null; retryAfter: string | null }> {
  const res = await ctx.app.request(
    '/api/v1/auth/login',
    {
      method: 'POST',
      headers: { origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    },
    { incoming: { socket: { remoteAddress: ip } } },
  );
  const body = (await res.json().catch(() => undefined)) as { error?: { code: string } } | undefined;
  return {
    status: res.status,
    code: body?.error?.code,
    cookie: res.headers.get('set-cookie'),
    retryAfter: res.headers.get('retry-after'),
  };
}

function tally(rs: { status: number; code?: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rs) out[r.code ?? String(r.status)] = (out[r.code ?? String(r.status)] ?? 0) + 1;
  return out;
}

test('lockout under a parallel burst: at most FREE_FAILURES passwords are checked, known or unknown email alike', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const known = t.users.cm!.email;
  const unknown = `nobody-burst-${t.tenantId}@test.sanad.example`;
  for (const [i, email] of [known, unknown].entries()) {
    const burst = await Promise.all(
      Array.from({ length: 25 }, () => loginFrom(`10.9.${i}.1`, email, 'wrong password 123')),
    );
    const counts = tally(burst);
    // Only a checked guess answers INVALID_CREDENTIALS; the rest were refused before any hash.
    assert.deepEqual(
      counts,
      { INVALID_CREDENTIALS: FREE_FAILURES, ACCOUNT_LOCKED: 25 - FREE_FAILURES },
      `${email}: ${JSON.stringify(counts)}`,
    );
    assert.ok(burst.filter((r) => r.code === 'ACCOUNT_LOCKED').every((r) => Number(r.retryAfter) > 0));
    assert.ok(burst.every((r) => r.cookie === null));
  }
  // The checks are audited one by one: exactly FREE_FAILURES wrong-password events for the account.
  const checked = await ctx.services.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'auth.login')
    .where('outcome', '=', 'denied')
    .where('entity_id', '=', t.users.cm!.id)
    .execute();
  assert.equal(checked.length, FREE_FAILURES);
  // Still locked afterwards, for the right password too.
  assert.equal((await loginFrom('10.9.0.2', known, PASSWORD)).code, 'ACCOUNT_LOCKED');
});

test('lockout under a parallel burst: wrong passwords with the right one at the end never yield a session', async () => {
  for (let round = 0; round < 3; round++) {
    const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
    const email = t.users.cm!.email;
    const burst = await Promise.all([
      ...Array.from({ length: 24 }, () => loginFrom(`10.8.${round}.1`, email, 'wrong password 123')),
      loginFrom(`10.8.${round}.1`, email, PASSWORD),
    ]);
    const right = burst.at(-1)!;
    assert.equal(right.status, 429, `round ${round}: ${JSON.stringify(tally(burst))}`);
    assert.equal(right.code, 'ACCOUNT_LOCKED');
    assert.ok(
      burst.every((r) => r.cookie === null),
      'no session from the burst',
    );
    assert.equal(tally(burst).INVALID_CREDENTIALS, FREE_FAILURES);
    const sessions = await ctx.services.db
      .selectFrom('user_sessions')
      .select('id')
      .where('user_id', '=', t.users.cm!.id)
      .execute();
    assert.equal(sessions.length, 1, 'only the session makeTenant created');
  }
});

test('a successful sign-in clears the claimed attempts', async () => {
  const t = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const email = t.users.l!.email;
  for (let i = 1; i < FREE_FAILURES; i++)
    assert.equal((await loginFrom('10.7.0.1', email, 'wrong password 123')).code, 'INVALID_CREDENTIALS');
  assert.equal((await loginFrom('10.7.0.1', email, PASSWORD)).status, 200);
  for (let i = 1; i < FREE_FAILURES; i++)
    assert.equal(
      (await loginFrom('10.7.0.1', email, 'wrong password 123')).code,
      'INVALID_CREDENTIALS',
      `attempt ${i} after success`,
    );
  assert.equal((await loginFrom('10.7.0.1', email, PASSWORD)).status, 200);
});

test('TOTP codes: a parallel burst gets at most FREE_FAILURES checks, then even the right code is refused', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const u = t.users.cm!;
  const partial = cookieFrom(
    await call(ctx.app, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: PASSWORD } }),
  );
  const good = await code(u.totpSecret);
  const wrong = Array.from({ length: 25 }, (_, i) =>
    String((Number(good) + 1 + i * 7919) % 1_000_000).padStart(6, '0'),
  );
  const burst = await Promise.all(
    wrong.map((c) => call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: c } })),
  );
  const counts = tally(burst.map((r) => ({ status: r.status, code: r.body?.error?.code })));
  // A wrong code may still fall in the ±30 s window by chance only if it equals a neighbour step's code; ignore those.
  assert.ok((counts.MFA_INVALID ?? 0) <= FREE_FAILURES, JSON.stringify(counts));
  assert.equal(
    (counts.MFA_INVALID ?? 0) + (counts.ACCOUNT_LOCKED ?? 0) + (counts['200'] ?? 0),
    25,
    JSON.stringify(counts),
  );
  if (!counts['200']) {
    const right = await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: good } });
    assert.equal(right.body.error.code, 'ACCOUNT_LOCKED');
  }
});

test('current-password checks: a parallel burst gets at most FREE_FAILURES checks', async () => {
  const t = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const burst = await Promise.all(
    Array.from({ length: 25 }, () =>
      call(ctx.app, 'POST', '/api/v1/me/password', {
        cookie: t.users.l!.cookie,
        body: { currentPassword: 'nope nope nope', newPassword: 'a brand new passphrase' },
      }),
    ),
  );
  const counts = tally(burst.map((r) => ({ status: r.status, code: r.body?.error?.code })));
  assert.deepEqual(
    counts,
    { PASSWORD_WRONG: FREE_FAILURES, ACCOUNT_LOCKED: 25 - FREE_FAILURES },
    JSON.stringify(counts),
  );
});

test('idle clock: with a one-minute idle window, a session used every 20 s stays alive (simulated clock)', async () => {
  const t = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const app = createApp({ ...ctx.services, config: { ...ctx.services.config, sessionIdleMinutes: 1 } });
  const hash = tokenHash(t.users.l!.cookie.split('=')[1]!);
  const lastSeen = async () =>
    (
      await ctx.services.db
        .selectFrom('user_sessions')
        .select('last_seen_at')
        .where('token_hash', '=', hash)
        .executeTakeFirstOrThrow()
    ).last_seen_at.getTime();
  const start = await lastSeen();
  mock.timers.enable({ apis: ['Date'], now: Math.max(Date.now(), start) });
  try {
    for (let i = 1; i <= 15; i++) {
      mock.timers.tick(20_000);
      const r = await call(app, 'GET', '/api/v1/me', { cookie: t.users.l!.cookie });
      assert.equal(r.status, 200, `request ${i} at +${i * 20} s`);
      // The client is told it has (almost) the whole window again.
      assert.ok(
        new Date(r.body.session.idleExpiresAt).getTime() - Date.now() >= 54_000,
        `idle deadline after request ${i}`,
      );
    }
    // Not a write per request: a request one second later leaves the clock alone.
    const before = await lastSeen();
    mock.timers.tick(1000);
    assert.equal((await call(app, 'GET', '/api/v1/me', { cookie: t.users.l!.cookie })).status, 200);
    assert.equal(await lastSeen(), before);
    // And the window still closes: a minute of silence ends the session.
    mock.timers.tick(60_000);
    assert.equal((await call(app, 'GET', '/api/v1/me', { cookie: t.users.l!.cookie })).status, 401);
  } finally {
    mock.timers.reset();
  }
});

/** The stored key of an email's counter: `login` for passwords, `mfa` for second-factor codes. */
function counterKey(prefix: 'login' | 'mfa', email: string): Buffer {
  return throttleKey(email, prefix === 'login' ? 'password' : 'mfa');
}

/** Ends the current lock of an email's counters without touching their counts (as if the lock had run out). */
async function expireLocks(email: string): Promise<void> {
  await sql`update login_throttle set locked_until = now() - interval '1 second' where key_hash in (${counterKey('login', email)}, ${counterKey('mfa', email)}) and locked_until is not null`.execute(
    ctx.services.db,
  );
}

async function counter(
  prefix: 'login' | 'mfa',
  email: string,
): Promise<{ failures: number; locked: boolean } | undefined> {
  const r = await sql<{
    failures: number;
    locked: boolean;
  }>`select failures, coalesce(locked_until > now(), false) as locked from login_throttle where key_hash = ${counterKey(prefix, email)}`.execute(
    ctx.services.db,
  );
  return r.rows[0];
}

/** Six-digit codes that no time step within ±2 minutes of now accepts. */
async function wrongCodes(secret: string, n: number): Promise<string[]> {
  const near = new Set<string>();
  for (let off = -120; off <= 120; off += 30) near.add(await code(secret, off));
  const out: string[] = [];
  for (let i = 0; out.length < n; i++) {
    const c = String((123457 + i * 7919) % 1_000_000).padStart(6, '0');
    if (!near.has(c)) out.push(c);
  }
  return out;
}

function sessionCookie(setCookie: string | null): string {
  const m = /sanad_session=([^;]*)/.exec(setCookie ?? '');
  assert.ok(m, `no session cookie in ${setCookie}`);
  return `sanad_session=${m[1]}`;
}

test('TOTP guessing escalates across rounds: a right password does not reset the second-factor counter', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const u = t.users.cm!;
  const bad = await wrongCodes(u.totpSecret, 30);
  const checks: number[] = [];
  const locks: number[] = [];
  for (let round = 0; round < 3; round++) {
    if (round > 0) await expireLocks(u.email);
    const login = await loginFrom(`10.6.${round}.1`, u.email, PASSWORD);
    assert.equal(login.status, 200, `round ${round}: the password step still works (${login.code})`);
    const partial = sessionCookie(login.cookie);
    let checked = 0;
    for (;;) {
      const r = await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: bad.shift()! } });
      if (r.body.error.code === 'ACCOUNT_LOCKED') {
        locks.push(Number(r.headers.get('retry-after')));
        break;
      }
      assert.equal(r.body.error.code, 'MFA_INVALID');
      assert.ok(++checked <= FREE_FAILURES, `round ${round}: more than ${FREE_FAILURES} codes checked`);
    }
    checks.push(checked);
  }
  // 5 free checks, then one per lock, and each lock twice the last (before: 5 checks and 60 s every round).
  assert.deepEqual(
    checks,
    [FREE_FAILURES, 1, 1],
    `checks per round ${JSON.stringify(checks)}, locks ${JSON.stringify(locks)}`,
  );
  assert.ok(locks[0]! > 55 && locks[0]! <= 60, `first lock ${locks[0]}`);
  assert.ok(locks[1]! > 115 && locks[1]! <= 120, `second lock ${locks[1]}`);
  assert.ok(locks[2]! > 235 && locks[2]! <= 240, `third lock ${locks[2]}`);
  // Failed codes are audited one by one.
  const denied = await ctx.services.db
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'auth.mfa')
    .where('outcome', '=', 'denied')
    .where('entity_id', '=', u.id)
    .execute();
  assert.equal(denied.length, FREE_FAILURES + 2);
});

test('only a full sign-in clears the second-factor counter; a right password alone does not', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const u = t.users.cm!;
  const bad = await wrongCodes(u.totpSecret, 10);
  const p1 = sessionCookie((await loginFrom('10.5.0.1', u.email, PASSWORD)).cookie);
  for (let i = 0; i < FREE_FAILURES - 1; i++)
    assert.equal(
      (await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: p1, body: { code: bad.shift()! } })).body.error.code,
      'MFA_INVALID',
    );
  // A second password sign-in leaves the count where it was.
  const p2 = sessionCookie((await loginFrom('10.5.0.1', u.email, PASSWORD)).cookie);
  assert.deepEqual(await counter('mfa', u.email), { failures: FREE_FAILURES - 1, locked: false });
  const ok = await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: p2, body: { code: await code(u.totpSecret) } });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(await counter('mfa', u.email), undefined, 'the full sign-in cleared the second-factor counter');
  assert.equal(await counter('login', u.email), undefined);
  // So the next sign-in has its FREE_FAILURES free codes again, and the right code still works.
  const p3 = sessionCookie((await loginFrom('10.5.0.1', u.email, PASSWORD)).cookie);
  for (let i = 0; i < FREE_FAILURES - 1; i++)
    assert.equal(
      (await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: p3, body: { code: bad.shift()! } })).body.error.code,
      'MFA_INVALID',
      `code ${i}`,
    );
  assert.equal(
    (await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: p3, body: { code: await code(u.totpSecret, 30) } }))
      .status,
    200,
  );
});

test('lock durations are capped, however many failures were counted; a quiet day forgets the count', async () => {
  const t = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const email = t.users.l!.email;
  for (let i = 0; i < FREE_FAILURES; i++)
    assert.equal((await loginFrom('10.4.0.1', email, 'wrong password 123')).code, 'INVALID_CREDENTIALS');
  const first = await loginFrom('10.4.0.1', email, 'wrong password 123');
  assert.equal(first.code, 'ACCOUNT_LOCKED');
  assert.ok(Number(first.retryAfter) <= 60);
  // Far along the backoff (an attacker keeping one guess per lock for days): the lock stays at the cap.
  const seen: number[] = [];
  for (const failures of [8, 9, 20, 5000]) {
    await sql`update login_throttle set failures = ${failures}, locked_until = now() - interval '1 second' where key_hash = ${counterKey('login', email)}`.execute(
      ctx.services.db,
    );
    const guess = await loginFrom('10.4.0.1', email, 'wrong password 123');
    assert.equal(guess.code, 'INVALID_CREDENTIALS', `after ${failures} failures the lock had run out: ${guess.status}`);
    const locked = await loginFrom('10.4.0.1', email, PASSWORD);
    assert.equal(locked.code, 'ACCOUNT_LOCKED');
    seen.push(Number(locked.retryAfter));
  }
  assert.ok(
    seen.every((s) => s > MAX_LOCK_SECONDS - 5 && s <= MAX_LOCK_SECONDS),
    `locks ${JSON.stringify(seen)} (cap ${MAX_LOCK_SECONDS} s)`,
  );
  // The second-factor counter has its own, longer cap.
  const u = (await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } })).users.cm!;
  const partial = sessionCookie((await loginFrom('10.4.0.2', u.email, PASSWORD)).cookie);
  const [wrong] = await wrongCodes(u.totpSecret, 1);
  await sql`insert into login_throttle (key_hash, failures, locked_until, updated_at) values (${counterKey('mfa', u.email)}, 5000, null, now())`.execute(
    ctx.services.db,
  );
  assert.equal(
    (await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: wrong } })).body.error.code,
    'MFA_INVALID',
  );
  const mfaLocked = await call(ctx.app, 'POST', '/api/v1/auth/mfa', {
    cookie: partial,
    body: { code: await code(u.totpSecret) },
  });
  assert.equal(mfaLocked.body.error.code, 'ACCOUNT_LOCKED');
  const retry = Number(mfaLocked.headers.get('retry-after'));
  assert.ok(
    retry > MAX_MFA_LOCK_SECONDS - 5 && retry <= MAX_MFA_LOCK_SECONDS,
    `second-factor lock ${retry} (cap ${MAX_MFA_LOCK_SECONDS} s)`,
  );
  // A counter that saw no failure for a day starts again from one.
  await sql`update login_throttle set failures = 50, locked_until = now() - interval '1 minute', updated_at = now() - interval '25 hours' where key_hash = ${counterKey('login', email)}`.execute(
    ctx.services.db,
  );
  assert.equal((await loginFrom('10.4.0.1', email, 'wrong password 123')).code, 'INVALID_CREDENTIALS');
  assert.deepEqual(await counter('login', email), { failures: 1, locked: false });
});

/** Locks an account the way an attacker who knows only its email would: FREE_FAILURES wrong passwords. */
async function lockOut(email: string, ip: string): Promise<void> {
  for (let i = 0; i < FREE_FAILURES; i++)
    assert.equal((await loginFrom(ip, email, 'wrong password 123')).code, 'INVALID_CREDENTIALS');
  assert.equal((await loginFrom(ip, email, PASSWORD)).code, 'ACCOUNT_LOCKED');
}

test('sanad user unlock ends a lockout (both counters) and is audited; unknown emails are refused', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const u = t.users.cm!;
  // Some failed codes on the second-factor counter, then the password counter locked.
  const partial = sessionCookie((await loginFrom('10.3.0.1', u.email, PASSWORD)).cookie);
  for (const c of await wrongCodes(u.totpSecret, 3))
    assert.equal(
      (await call(ctx.app, 'POST', '/api/v1/auth/mfa', { cookie: partial, body: { code: c } })).body.error.code,
      'MFA_INVALID',
    );
  await lockOut(u.email, '10.3.0.1');
  const out: string[] = [];
  const write = mock.method(process.stdout, 'write', (chunk: string) => out.push(String(chunk)) > 0);
  try {
    assert.equal(await unlockFromCli(ctx.services, `  ${u.email.toUpperCase()} `), 0);
    await assert.rejects(
      unlockFromCli(ctx.services, `nobody-${t.tenantId}@test.sanad.example`),
      /no account with email/,
    );
  } finally {
    write.mock.restore();
  }
  assert.match(out.join(''), new RegExp(`unlocked ${u.email} \\(${FREE_FAILURES + 3} failed attempts cleared\\)`));
  assert.equal(await counter('login', u.email), undefined);
  assert.equal(await counter('mfa', u.email), undefined);
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select(['tenant_id', 'actor_id', 'outcome', 'details'])
    .where('action', '=', 'user.unlock')
    .where('entity_id', '=', u.id)
    .execute();
  assert.equal(ev.length, 1);
  assert.deepEqual(
    { ...ev[0], details: ev[0]!.details },
    {
      tenant_id: t.tenantId,
      actor_id: null,
      outcome: 'ok',
      details: { via: 'cli', wasLocked: true, failures: FREE_FAILURES + 3 },
    },
  );
  // The owner signs in at once, with all FREE_FAILURES codes free again.
  const login = await loginFrom('10.3.0.2', u.email, PASSWORD);
  assert.equal(login.status, 200);
  const ok = await call(ctx.app, 'POST', '/api/v1/auth/mfa', {
    cookie: sessionCookie(login.cookie),
    body: { code: await code(u.totpSecret) },
  });
  assert.equal(ok.status, 200, ok.text);
});

test('an administrator unlocks an account of their tenant (audited); another tenant gets 404, other roles 403', async () => {
  const t = await makeTenant(ctx.services, {
    admin: { roles: ['tenant_admin'] },
    cm: { roles: ['case_manager'], team: 'a' },
  });
  const other = await makeTenant(ctx.services, { admin: { roles: ['tenant_admin'] } });
  const cm = t.users.cm!;
  await lockOut(cm.email, '10.2.0.1');
  const path = `/api/v1/users/${cm.id}/unlock`;
  const cross = await call(ctx.app, 'POST', path, { cookie: other.users.admin!.cookie });
  assert.deepEqual([cross.status, cross.body.error.code], [404, 'NOT_FOUND']);
  const missing = await call(ctx.app, 'POST', `/api/v1/users/${crypto.randomUUID()}/unlock`, {
    cookie: other.users.admin!.cookie,
  });
  assert.deepEqual(
    { ...missing.body.error, requestId: '-' },
    { ...cross.body.error, requestId: '-' },
    'the same 404 as a missing account',
  );
  const role = await call(ctx.app, 'POST', path, { cookie: cm.cookie });
  assert.equal(role.status, 403);
  assert.deepEqual(await counter('login', cm.email), { failures: FREE_FAILURES, locked: true }, 'still locked');
  const ok = await call(ctx.app, 'POST', path, { cookie: t.users.admin!.cookie });
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.body, { wasLocked: true, failures: FREE_FAILURES });
  assert.equal((await loginFrom('10.2.0.2', cm.email, PASSWORD)).status, 200);
  const again = await call(ctx.app, 'POST', path, { cookie: t.users.admin!.cookie });
  assert.deepEqual(again.body, { wasLocked: false, failures: 0 });
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select(['tenant_id', 'actor_id', 'outcome', 'details'])
    .where('action', '=', 'user.unlock')
    .where('tenant_id', 'in', [t.tenantId, other.tenantId])
    .orderBy('at')
    .execute();
  assert.deepEqual(
    ev.map((e) => [e.tenant_id === t.tenantId ? 't' : 'other', e.actor_id, e.outcome, e.details]),
    [
      ['t', cm.id, 'denied', { reason: 'policy' }],
      ['t', t.users.admin!.id, 'ok', { wasLocked: true, failures: FREE_FAILURES }],
      ['t', t.users.admin!.id, 'ok', { wasLocked: false, failures: 0 }],
    ],
  );
});
