/**
 * Every route of the OpenAPI document: sign-in is checked first and denied by default (401 before
 * If-Match, parameters or body), and a malformed id in a path answers 404 like a missing record.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { ROLES } from '../src/core/roles.ts';
import { ROUTE_ACCESS } from '../src/server/modules/auth/routes.ts';
import { call, closeShared, makeTenant, PASSWORD, shared$ } from './helpers.ts';

interface Op {
  method: string;
  path: string;
}

let ctx: Awaited<ReturnType<typeof shared$>>;
let ops: Op[];
before(async () => {
  ctx = await shared$();
  const doc = (await call(ctx.app, 'GET', '/api/openapi.json')).body as {
    paths: Record<string, Record<string, unknown>>;
  };
  ops = Object.entries(doc.paths)
    .filter(([p]) => p.startsWith('/api/v1/') && !p.startsWith('/api/v1/public/'))
    .flatMap(([path, byMethod]) => Object.keys(byMethod).map((method) => ({ method: method.toUpperCase(), path })));
  // Routes served outside the OpenAPI document must follow the same rules.
  ops.push({ method: 'GET', path: '/api/v1/academy/cohorts/{id}/progress.csv' });
});
after(closeShared);

const listed = (list: readonly string[], op: Op) => list.includes(`${op.method} ${op.path.slice('/api/v1'.length)}`);
const params = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);

/** The path with `{id}` set to `id` (a fresh UUID by default), other parameters to plausible values, and `bad` for one named parameter. */
function fill(path: string, bad?: { name: string; value: string }, id: string = crypto.randomUUID()): string {
  const plausible = (name: string) =>
    name === 'id'
      ? id
      : name === 'token'
        ? crypto.randomBytes(32).toString('base64url')
        : name === 'version'
          ? '1'
          : 'x1';
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => (bad?.name === name ? bad.value : plausible(name)));
}

/** A write with a broken JSON body and no If-Match; reads with a bad query. */
function sloppy(op: Op, cookie?: string) {
  return op.method === 'GET'
    ? { cookie }
    : { cookie, body: '{"notes": ', headers: { 'content-type': 'application/json' } };
}

test('the routes named in ROUTE_ACCESS exist', () => {
  for (const entry of [...ROUTE_ACCESS.public, ...ROUTE_ACCESS.partial]) {
    const [method, path] = entry.split(' ') as [string, string];
    assert.ok(
      ops.some((o) => o.method === method && o.path === `/api/v1${path}`),
      `${entry} is not a route`,
    );
  }
});

test('signed out, every protected route answers 401 UNAUTHENTICATED before If-Match, parameters or body', async () => {
  let checked = 0;
  for (const op of ops.filter((o) => !listed(ROUTE_ACCESS.public, o))) {
    for (const cookie of [undefined, 'sanad_session=forged']) {
      for (const path of [fill(op.path), fill(op.path, undefined, 'a'.repeat(65))]) {
        const r = await call(ctx.app, op.method, `${path}?limit=0`, sloppy(op, cookie));
        assert.equal(r.status, 401, `${op.method} ${path}: ${r.text}`);
        assert.equal(r.body.error.code, 'UNAUTHENTICATED', `${op.method} ${path}`);
        checked++;
      }
    }
  }
  assert.ok(checked > 300, `only ${checked} requests`);
  // Unknown endpoints too (nothing about the API is learnt signed out); signed in they are 404.
  assert.equal((await call(ctx.app, 'PATCH', '/api/v1/no/such/route', { body: '{' })).status, 401);
  const t = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const unknown = await call(ctx.app, 'GET', '/api/v1/no/such/route', { cookie: t.users.l!.cookie });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'NOT_FOUND');
});

test('a password-only session reaches only the second-factor routes and /me; the rest answer 401 MFA_REQUIRED first', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const login = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: t.users.cm!.email, password: PASSWORD },
  });
  assert.equal(login.body.status, 'mfa_required');
  const partial = /sanad_session=[^;]*/.exec(login.headers.get('set-cookie')!)![0];
  for (const op of ops.filter((o) => !listed(ROUTE_ACCESS.public, o))) {
    const r = await call(ctx.app, op.method, fill(op.path), sloppy(op, partial));
    if (listed(ROUTE_ACCESS.partial, op))
      assert.ok(
        !['MFA_REQUIRED', 'UNAUTHENTICATED'].includes(r.body?.error?.code),
        `${op.method} ${op.path}: ${r.text}`,
      );
    else assert.deepEqual([r.status, r.body?.error?.code], [401, 'MFA_REQUIRED'], `${op.method} ${op.path}: ${r.text}`);
  }
  // The partial session still completes sign-in.
  assert.equal((await call(ctx.app, 'GET', '/api/v1/me', { cookie: partial })).status, 200);
});

test('public routes keep working signed out', async () => {
  const wrong = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: 'nobody-public@test.sanad.example', password: 'wrong password 123' },
  });
  assert.equal(wrong.body.error.code, 'INVALID_CREDENTIALS');
  const bad = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: '{"email": ',
    headers: { 'content-type': 'application/json' },
  });
  assert.equal(bad.body.error.code, 'MALFORMED_JSON', 'a public route validates its body as before');
  const token = crypto.randomBytes(32).toString('base64url');
  assert.equal((await call(ctx.app, 'GET', `/api/v1/auth/invitations/${token}`)).body.error.code, 'INVITATION_INVALID');
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/auth/invitations/${token}/accept`, {
        body: { displayName: 'X', password: 'a long enough passphrase' },
      })
    ).body.error.code,
    'INVITATION_INVALID',
  );
  assert.equal((await call(ctx.app, 'POST', '/api/v1/auth/logout', { cookie: 'sanad_session=expired' })).status, 204);
  assert.equal((await call(ctx.app, 'GET', '/api/v1/public/keys')).status, 200);
  const cert = await call(ctx.app, 'GET', '/api/v1/public/certificates/ABCD-EFGH-JKMN');
  assert.equal(cert.body.error.code, 'NOT_FOUND');
});

test('a malformed id in any path (too long, not a UUID, odd characters) answers 404 like a missing record, on every route', async () => {
  const t = await makeTenant(ctx.services, { all: { roles: [...ROLES], team: 'a', supervisor: true } });
  const cookie = t.users.all!.cookie;
  const malformed = [
    'a'.repeat(65),
    `${crypto.randomUUID()}0`,
    'not-a-uuid',
    'x\'"<>;--',
    '%00',
    '%E2%80%AEabc',
    '..%2F..',
    '%F0%9F%98%80',
  ];
  let checked = 0;
  const wrong: string[] = [];
  for (const op of ops) {
    for (const name of params(op.path)) {
      const opts = { cookie, headers: { 'if-match': '"1"' }, ...(op.method === 'GET' ? {} : { body: {} }) };
      const missing = await call(ctx.app, op.method, fill(op.path), opts);
      for (const value of malformed) {
        const r = await call(ctx.app, op.method, fill(op.path, { name, value }), opts);
        const what = `${op.method} ${op.path} with ${name}=${value}: ${r.status} ${r.text.slice(0, 200)} (a missing record: ${missing.status} ${missing.body?.error?.code})`;
        // 404 NOT_FOUND (or the route's own 404 code for a missing record), or exactly what a missing
        // record gets when something before the lookup refuses the request (role, body).
        const notFound =
          r.status === 404 &&
          (r.body?.error?.code === 'NOT_FOUND' || r.body?.error?.code === missing.body?.error?.code);
        const asMissing = r.status === missing.status && r.body?.error?.code === missing.body?.error?.code;
        if (!(notFound || asMissing)) wrong.push(what);
        checked++;
      }
    }
  }
  assert.deepEqual(wrong, []);
  assert.ok(checked > 400, `only ${checked} requests`);
  // The reported case: a 65-character id on a plain read.
  const long = await call(ctx.app, 'GET', `/api/v1/participants/${'a'.repeat(65)}`, { cookie });
  assert.deepEqual([long.status, long.body.error.code], [404, 'NOT_FOUND']);
});
