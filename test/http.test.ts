/** The HTTP edge: bad input always gets a 4xx with a stable code, headers, CSRF, health and OpenAPI. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES } from '../src/core/errors.ts';
import { MAX_BODY_BYTES } from '../src/server/http/middleware.ts';
import { call, closeShared, makeTenant, shared$, ownerDb } from './helpers.ts';
import { intake } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
});
after(closeShared);

async function count() {
  const r = await ownerDb()
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', t.tenantId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

test('malformed JSON, wrong content type, oversize bodies, non-object bodies and unknown fields are 4xx with codes', async () => {
  const before = await count();
  const cases: [string, Parameters<typeof call>[3], number, string][] = [
    ['malformed', { body: '{"teamId": ', headers: { 'content-type': 'application/json' } }, 400, 'MALFORMED_JSON'],
    ['text/plain', { body: 'teamId=x', headers: { 'content-type': 'text/plain' } }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
    [
      'form',
      { body: 'teamId=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      'UNSUPPORTED_MEDIA_TYPE',
    ],
    [
      'oversize',
      { body: JSON.stringify({ teamId: t.teamA, notes: 'x'.repeat(MAX_BODY_BYTES) }) },
      413,
      'PAYLOAD_TOO_LARGE',
    ],
    ['array', { body: '[1,2]' }, 400, 'VALIDATION_FAILED'],
    ['unknown field', { body: { teamId: t.teamA, colour: 'red' } }, 400, 'VALIDATION_FAILED'],
    ['wrong type', { body: { teamId: 42 } }, 400, 'VALIDATION_FAILED'],
    ['missing body', {}, 400, 'VALIDATION_FAILED'],
    ['notes too long', { body: { teamId: t.teamA, notes: 'x'.repeat(20_001) } }, 400, 'VALIDATION_FAILED'],
    [
      'bad utf-8',
      {
        body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('latin1'),
        headers: { 'content-type': 'application/json' },
      },
      400,
      'MALFORMED_JSON',
    ],
  ];
  for (const [name, opts, status, code] of cases) {
    const r = await call(ctx.app, 'POST', '/api/v1/participants', { cookie: t.users.cm!.cookie, ...opts });
    assert.equal(r.status, status, `${name}: ${r.text}`);
    assert.equal(r.body?.error?.code, code, name);
    assert.ok(r.body.error.requestId, name);
  }
  const unknown = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, colour: 'red' }),
  });
  assert.deepEqual(
    unknown.body.error.details.map((d: { path: string; code: string }) => [d.path, d.code]),
    [['colour', 'unknown_field']],
  );
  const typed = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: { ...intake({ teamId: t.teamA }), teamId: 42 },
  });
  assert.equal(typed.body.error.details[0].path, 'teamId');
  assert.equal(await count(), before, 'nothing written');
});

test('state-changing requests need the app’s own origin (CSRF)', async () => {
  const cross = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
    headers: { origin: 'https://evil.example' },
  });
  assert.equal(cross.status, 403);
  assert.equal(cross.body.error.code, 'CSRF_ORIGIN');
  const res = await ctx.app.request('/api/v1/auth/logout', { method: 'POST', headers: { cookie: t.users.cm!.cookie } });
  assert.equal(res.status, 403, 'no Origin and no Sec-Fetch-Site');
  const sameSite = await ctx.app.request('/api/v1/auth/logout-all', {
    method: 'POST',
    headers: { cookie: 'sanad_session=x', 'sec-fetch-site': 'cross-site' },
  });
  assert.equal(sameSite.status, 403);
  assert.equal(
    (
      await call(ctx.app, 'GET', '/api/v1/me', {
        cookie: t.users.cm!.cookie,
        headers: { origin: 'https://evil.example' },
      })
    ).status,
    200,
    'reads are not blocked',
  );
});

test('API responses carry security headers and are never cached', async () => {
  const r = await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie });
  assert.equal(r.headers.get('cache-control'), 'no-store');
  const csp = r.headers.get('content-security-policy')!;
  assert.match(csp, /script-src 'self'(;|$)/);
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(r.headers.get('x-frame-options'), 'DENY');
  assert.ok(r.headers.get('x-request-id'));
  // Signed out, an unknown /api/v1 path is 401 like every route not declared public (deny by default).
  const err = await call(ctx.app, 'GET', '/api/v1/nothing-here', { cookie: t.users.cm!.cookie });
  assert.equal(err.status, 404);
  assert.equal(err.body.error.code, 'NOT_FOUND');
  assert.equal(err.headers.get('cache-control'), 'no-store');
});

test('unauthenticated requests get 401 UNAUTHENTICATED; forged cookies too', async () => {
  for (const cookie of [undefined, 'sanad_session=forged', `sanad_session=${'a'.repeat(500)}`]) {
    const r = await call(ctx.app, 'GET', '/api/v1/participants', { cookie });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'UNAUTHENTICATED');
  }
});

test('bad query parameters are 400 with the parameter named', async () => {
  const r = await call(ctx.app, 'GET', '/api/v1/participants?limit=100000', { cookie: t.users.cm!.cookie });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.details[0].path, 'query.limit');
  const m = await call(ctx.app, 'PATCH', `/api/v1/participants/${t.teamA}`, {
    cookie: t.users.cm!.cookie,
    body: { notes: 'x' },
    headers: { 'if-match': 'abc' },
  });
  assert.equal(m.status, 400);
  assert.equal(m.body.error.details[0].path, 'If-Match');
});

test('GET /api/health reports status, database mode and version', async () => {
  const r = await call(ctx.app, 'GET', '/api/health');
  assert.equal(r.status, 200);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.database, 'external');
  assert.equal(typeof r.body.version, 'string');
});

test('GET /api/openapi.json is OpenAPI 3.1 with every route, schemas and error codes', async () => {
  const r = await call(ctx.app, 'GET', '/api/openapi.json');
  assert.equal(r.status, 200);
  const doc = r.body;
  assert.equal(doc.openapi, '3.1.0');
  const expected = [
    'post /api/v1/auth/login',
    'post /api/v1/auth/mfa',
    'post /api/v1/auth/mfa/setup',
    'post /api/v1/auth/mfa/enable',
    'post /api/v1/auth/logout',
    'post /api/v1/auth/logout-all',
    'get /api/v1/auth/invitations/{token}',
    'post /api/v1/auth/invitations/{token}/accept',
    'get /api/v1/me',
    'patch /api/v1/me/preferences',
    'post /api/v1/me/password',
    'get /api/v1/me/sessions',
    'get /api/v1/users',
    'post /api/v1/users/invitations',
    'patch /api/v1/users/{id}',
    'post /api/v1/users/{id}/disable',
    'post /api/v1/users/{id}/enable',
    'get /api/v1/audit/events',
    'get /api/v1/audit/verify',
    'get /api/v1/audit/heads',
    'get /api/v1/participants',
    'post /api/v1/participants',
    'get /api/v1/participants/{id}',
    'patch /api/v1/participants/{id}',
    'get /api/health',
  ];
  const have = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
    Object.keys(ops).map((m) => `${m} ${p}`),
  );
  for (const e of expected) assert.ok(have.includes(e), `missing ${e}`);
  // Every operation documents its error responses with the shared Error schema and names the codes.
  for (const [p, ops] of Object.entries(
    doc.paths as Record<string, Record<string, { responses: Record<string, { description: string }> }>>,
  )) {
    if (p === '/api/health') continue;
    for (const [m, op] of Object.entries(ops)) {
      const errs = Object.entries(op.responses).filter(([s]) => Number(s) >= 400);
      assert.ok(errs.length > 0, `${m} ${p} lists no errors`);
      assert.ok(
        errs.every(([, v]) => /Error codes: [A-Z_]+/.test(v.description)),
        `${m} ${p}`,
      );
    }
  }
  const codes: string[] = doc.components.schemas.Error.properties.error.properties.code.enum;
  assert.deepEqual([...codes].sort(), Object.keys(ERROR_CODES).sort());
  assert.ok(doc.components.schemas.CreateParticipantRequest);
});

test('preferences: language and Hijri calendar are saved per user', async () => {
  const r = await call(ctx.app, 'PATCH', '/api/v1/me/preferences', {
    cookie: t.users.cm!.cookie,
    body: { locale: 'ar', calendar: 'islamic-umalqura' },
  });
  assert.equal(r.status, 200);
  assert.equal(r.body.user.locale, 'ar', 'the response is the updated /me');
  const me = await call(ctx.app, 'GET', '/api/v1/me', { cookie: t.users.cm!.cookie });
  assert.equal(me.body.user.locale, 'ar');
  assert.equal(me.body.user.calendar, 'islamic-umalqura');
  const bad = await call(ctx.app, 'PATCH', '/api/v1/me/preferences', {
    cookie: t.users.cm!.cookie,
    body: { locale: 'xx' },
  });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].path, 'locale');
});

test('Idempotency-Key: a retried POST returns the first response and writes once; a different body is refused', async () => {
  const key = `retry-${Date.now()}`;
  const body = intake({ teamId: t.teamA, notes: 'once' });
  const first = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body,
    headers: { 'idempotency-key': key },
  });
  assert.equal(first.status, 201, first.text);
  const before = await count();
  const again = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body,
    headers: { 'idempotency-key': key },
  });
  assert.equal(again.status, 201);
  assert.equal(again.body.id, first.body.id);
  assert.equal(again.body.replayed, true);
  assert.equal(again.body.notes, undefined, 'a replay carries identifiers, not case content');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal(await count(), before, 'no second record');
  const other = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, notes: 'different' }),
    headers: { 'idempotency-key': key },
  });
  assert.equal(other.status, 409);
  assert.equal(other.body.error.code, 'IDEMPOTENCY_CONFLICT');
  const bad = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
    headers: { 'idempotency-key': 'x' },
  });
  assert.equal(bad.status, 400);
  // The stored response is encrypted: its note is not in the table in plaintext.
  const row = await ctx.services.db
    .selectFrom('idempotency_keys')
    .select('response')
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
  assert.ok(!row.response!.toString('latin1').includes('once'));
  // A failed request frees its key for a retry.
  const k2 = `fail-${Date.now()}`;
  const failing = intake({ teamId: t.teamB });
  const f1 = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: failing,
    headers: { 'idempotency-key': k2 },
  });
  assert.equal(f1.status, 400);
  const f2 = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: failing,
    headers: { 'idempotency-key': k2 },
  });
  assert.equal(f2.status, 400);
  assert.equal(f2.headers.get('idempotent-replayed'), null);
});

test('NUL characters, lone surrogates and deep nesting are 400s, never 500s, and denials are still recorded', async () => {
  const nul = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, notes: 'a\u0000b' }),
  });
  assert.equal(nul.status, 400);
  assert.equal(nul.body.error.details[0].code, 'invalid_characters');
  const login = await call(ctx.app, 'POST', '/api/v1/auth/login', {
    body: { email: 'a\u0000@x.org', password: 'whatever whatever' },
  });
  assert.equal(login.status, 400);
  const deep = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: '{"teamId":' + '['.repeat(5000) + ']'.repeat(5000) + '}',
  });
  assert.equal(deep.status, 400);
  assert.equal(deep.body.error.details[0].code, 'too_deep');
  const path = await call(ctx.app, 'GET', '/api/v1/participants/%00', { cookie: t.users.cm!.cookie });
  assert.equal(path.status, 404);
  const cursor = await call(
    ctx.app,
    'GET',
    `/api/v1/participants?cursor=${Buffer.from(JSON.stringify(['2026-01-01T00:00:00Z', 'a\u0000'])).toString('base64url')}`,
    { cookie: t.users.cm!.cookie },
  );
  assert.equal(cursor.status, 400);
  const denial = await ctx.services.db
    .selectFrom('audit_events')
    .select('entity_id')
    .where('actor_id', '=', t.users.cm!.id)
    .where('outcome', '=', 'denied')
    .execute();
  assert.ok(
    denial.some((d) => d.entity_id === '\uFFFD'),
    'the refused read of a NUL id is audited',
  );
});

test('credential routes never store an idempotency hash', async () => {
  const u = await makeTenant(ctx.services, { l: { roles: ['learner'] } });
  const key = `pw-${Date.now()}`;
  await call(ctx.app, 'POST', '/api/v1/me/password', {
    cookie: u.users.l!.cookie,
    body: { currentPassword: 'nope nope nope', newPassword: 'whatever it is 123' },
    headers: { 'idempotency-key': key },
  });
  const rows = await ctx.services.db.selectFrom('idempotency_keys').select('key').where('key', '=', key).execute();
  assert.equal(rows.length, 0);
});

test('a key given twice at any depth is a 400 duplicate_key naming its path (never last-wins), and nothing is written', async () => {
  const before = await count();
  const good = JSON.stringify(intake({ teamId: t.teamA }));
  const cases: [string, string, string][] = [
    ['top level', good.replace('{', '{"legalStatus":"remand",'), 'legalStatus'],
    ['nested', good.replace('"givenName":', '"givenName":"Shown","givenName":'), 'identity.givenName'],
    ['escaped spelling', good.replace('"givenName":', '"givenName":"Shown","given\\u004eame":'), 'identity.givenName'],
    ['server-owned key', good.replace('{', '{"id":"a","id":"b",'), 'id'],
  ];
  for (const [name, body, path] of cases) {
    const r = await call(ctx.app, 'POST', '/api/v1/participants', { cookie: t.users.cm!.cookie, body });
    assert.equal(r.status, 400, `${name}: ${r.text}`);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED', name);
    assert.deepEqual(r.body.error.details, [{ path, code: 'duplicate_key' }], name);
  }
  assert.equal(await count(), before, 'nothing written');
  const ok = await call(ctx.app, 'POST', '/api/v1/participants', { cookie: t.users.cm!.cookie, body: good });
  assert.equal(ok.status, 201, ok.text);
});
