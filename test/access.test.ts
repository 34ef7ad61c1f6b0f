/** The access chokepoint: tenant and case-team isolation, 404 for out of scope, forged fields ignored. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, closeShared, makeTenant, shared$, ownerDb } from './helpers.ts';
import { intake } from './helpers.ts';
import crypto from 'node:crypto';
import { AppError } from '../src/core/errors.ts';
import { Scope } from '../src/server/access/scope.ts';
import { participants, sessionAttendance } from '../src/server/access/entities.ts';
import type { Principal } from '../src/server/access/principal.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t1: Awaited<ReturnType<typeof makeTenant>>;
let t2: Awaited<ReturnType<typeof makeTenant>>;

before(async () => {
  ctx = await shared$();
  t1 = await makeTenant(ctx.services, {
    cmA: { roles: ['case_manager'], team: 'a' },
    psyA: { roles: ['psychologist'], team: 'a' },
    cmB: { roles: ['case_manager'], team: 'b' },
    mentorA: { roles: ['mentor'], team: 'a' },
    admin: { roles: ['tenant_admin'] },
    learner: { roles: ['learner'] },
    dpo: { roles: ['dpo'] },
  });
  t2 = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
});
after(closeShared);

/** Strips what legitimately differs between two responses (the request id). */
function normalise(r: { status: number; text: string; headers: Headers }) {
  const headers = [...r.headers.entries()].filter(([k]) => !['x-request-id', 'date'].includes(k)).sort();
  return { status: r.status, headers, body: r.text.replace(/"requestId":"[^"]+"/, '"requestId":"-"') };
}

async function createParticipant(cookie: string, teamId: string, notes = 'synthetic note') {
  const r = await call(ctx.app, 'POST', '/api/v1/participants', { cookie, body: intake({ teamId, notes }) });
  assert.equal(r.status, 201, r.text);
  return r.body as { id: string; version: number; code: string };
}

test('a case team member reads their team’s participant, with notes decrypted, and the read is audited', async () => {
  const p = await createParticipant(t1.users.cmA!.cookie, t1.teamA, 'first meeting notes');
  const r = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t1.users.psyA!.cookie });
  assert.equal(r.status, 200);
  assert.equal(r.body.notes, 'first meeting notes');
  assert.equal(r.headers.get('etag'), '"1"');
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .selectAll()
    .where('tenant_id', '=', t1.tenantId)
    .where('entity_id', '=', p.id)
    .where('action', '=', 'participant.read')
    .execute();
  assert.equal(ev.length, 1);
  assert.equal(ev[0]!.actor_id, t1.users.psyA!.id);
  assert.equal(ev[0]!.subject_id, p.id);
});

test('another team and another tenant get a 404 identical to a missing record, on read and write', async () => {
  const p = await createParticipant(t1.users.cmA!.cookie, t1.teamA);
  const missing = '7b0c3c4e-1d2f-4a5b-8c9d-0e1f2a3b4c5d';
  for (const [who, cookie] of [
    ['other team', t1.users.cmB!.cookie],
    ['other tenant', t2.users.cm!.cookie],
  ] as const) {
    const outOfScope = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie });
    const absent = await call(ctx.app, 'GET', `/api/v1/participants/${missing}`, { cookie });
    assert.equal(outOfScope.status, 404, who);
    assert.deepEqual(normalise(outOfScope), normalise(absent), `${who}: out-of-scope must look exactly like missing`);
    const w1 = await call(ctx.app, 'PATCH', `/api/v1/participants/${p.id}`, {
      cookie,
      body: { notes: 'hijack' },
      headers: { 'if-match': '"1"' },
    });
    const w2 = await call(ctx.app, 'PATCH', `/api/v1/participants/${missing}`, {
      cookie,
      body: { notes: 'hijack' },
      headers: { 'if-match': '"1"' },
    });
    assert.equal(w1.status, 404, who);
    assert.deepEqual(normalise(w1), normalise(w2), who);
    const list = await call(ctx.app, 'GET', '/api/v1/participants?limit=200', { cookie });
    assert.equal(list.status, 200);
    assert.ok(!list.body.items.some((i: { id: string }) => i.id === p.id), `${who} must not list it`);
  }
  // Nothing was written by the refused attempts.
  const row = await ownerDb()
    .selectFrom('participants')
    .select(['version'])
    .where('id', '=', p.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.version, 1);
  // Denials are audited too (in the record's tenant for the other team, in the caller's tenant otherwise).
  const denied = await ctx.services.db
    .selectFrom('audit_events')
    .select(['actor_id', 'outcome', 'tenant_id'])
    .where('entity_id', '=', p.id)
    .where('outcome', '=', 'denied')
    .execute();
  assert.ok(denied.some((d) => d.actor_id === t1.users.cmB!.id && d.tenant_id === t1.tenantId));
  assert.ok(denied.some((d) => d.actor_id === t2.users.cm!.id && d.tenant_id === t2.tenantId));
});

test('malformed ids answer like missing ones', async () => {
  const a = await call(ctx.app, 'GET', '/api/v1/participants/not-a-uuid', { cookie: t1.users.cmA!.cookie });
  const b = await call(ctx.app, 'GET', '/api/v1/participants/7b0c3c4e-1d2f-4a5b-8c9d-0e1f2a3b4c5d', {
    cookie: t1.users.cmA!.cookie,
  });
  assert.equal(a.status, 404);
  assert.deepEqual(normalise(a), normalise(b));
});

test('roles without case access are refused by the policy table (403), and that is audited', async () => {
  for (const key of ['admin', 'learner', 'dpo'] as const) {
    const r = await call(ctx.app, 'GET', '/api/v1/participants', { cookie: t1.users[key]!.cookie });
    assert.equal(r.status, 403, key);
    assert.equal(r.body.error.code, 'FORBIDDEN');
  }
  const ev = await ctx.services.db
    .selectFrom('audit_events')
    .select('outcome')
    .where('actor_id', '=', t1.users.learner!.id)
    .where('action', '=', 'participant.list')
    .execute();
  assert.deepEqual(
    ev.map((e) => e.outcome),
    ['denied'],
  );
});

test('fields a role may not see are stripped (a mentor sees no notes)', async () => {
  const p = await createParticipant(t1.users.cmA!.cookie, t1.teamA, 'clinical detail');
  const r = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t1.users.mentorA!.cookie });
  assert.equal(r.status, 200);
  assert.equal('notes' in r.body, false);
  assert.ok(!r.text.includes('clinical detail'));
});

test('client-sent tenant, owner, creator and version are ignored', async () => {
  const r = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t1.users.cmA!.cookie,
    body: intake({
      teamId: t1.teamA,
      tenantId: t2.tenantId,
      createdBy: t2.users.cm!.id,
      ownerId: t2.users.cm!.id,
      version: 99,
      id: '7b0c3c4e-1d2f-4a5b-8c9d-0e1f2a3b4c5d',
    }),
  });
  assert.equal(r.status, 201, r.text);
  assert.notEqual(r.body.id, '7b0c3c4e-1d2f-4a5b-8c9d-0e1f2a3b4c5d');
  assert.equal(r.body.version, 1);
  const row = await ownerDb()
    .selectFrom('participants')
    .select(['tenant_id', 'created_by'])
    .where('id', '=', r.body.id)
    .executeTakeFirstOrThrow();
  assert.equal(row.tenant_id, t1.tenantId);
  assert.equal(row.created_by, t1.users.cmA!.id);
});

test("creating into another team or another tenant's team is refused and writes nothing", async () => {
  const before = await ownerDb()
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  for (const teamId of [t1.teamB, t2.teamA]) {
    const r = await call(ctx.app, 'POST', '/api/v1/participants', {
      cookie: t1.users.cmA!.cookie,
      body: intake({ teamId }),
    });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'VALIDATION_FAILED');
    assert.deepEqual(r.body.error.details, [{ path: 'teamId', code: 'unknown_team' }]);
  }
  const afterCount = await ownerDb()
    .selectFrom('participants')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('tenant_id', '=', t1.tenantId)
    .where('team_id', '=', t1.teamB)
    .executeTakeFirstOrThrow();
  assert.equal(Number(afterCount.n), 0);
  assert.ok(Number(before.n) >= 0);
});

test('a stale If-Match gets 409 and nothing is written; a missing one gets 428', async () => {
  const p = await createParticipant(t1.users.cmA!.cookie, t1.teamA, 'v1');
  const ok = await call(ctx.app, 'PATCH', `/api/v1/participants/${p.id}`, {
    cookie: t1.users.cmA!.cookie,
    body: { notes: 'v2' },
    headers: { 'if-match': '"1"' },
  });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.version, 2);
  const stale = await call(ctx.app, 'PATCH', `/api/v1/participants/${p.id}`, {
    cookie: t1.users.psyA!.cookie,
    body: { notes: 'lost update' },
    headers: { 'if-match': '"1"' },
  });
  assert.equal(stale.status, 409);
  assert.equal(stale.body.error.code, 'VERSION_CONFLICT');
  const none = await call(ctx.app, 'PATCH', `/api/v1/participants/${p.id}`, {
    cookie: t1.users.psyA!.cookie,
    body: { notes: 'x' },
  });
  assert.equal(none.status, 428);
  const now = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t1.users.cmA!.cookie });
  assert.equal(now.body.notes, 'v2');
  assert.equal(now.body.version, 2);
});

test('the caseload list is keyset-paginated and stable', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const ids = new Set<string>();
  for (let i = 0; i < 5; i++) ids.add((await createParticipant(t.users.cm!.cookie, t.teamA)).id);
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await call(ctx.app, 'GET', `/api/v1/participants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
      cookie: t.users.cm!.cookie,
    });
    assert.equal(r.status, 200);
    seen.push(...r.body.items.map((i: { id: string }) => i.id));
    cursor = r.body.nextCursor;
  } while (cursor);
  assert.equal(seen.length, 5);
  assert.deepEqual(new Set(seen), ids);
  const bad = await call(ctx.app, 'GET', '/api/v1/participants?cursor=garbage', { cookie: t.users.cm!.cookie });
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.details[0].path, 'query.cursor');
});

test('a role that may not read a field may not write it either (a mentor cannot overwrite notes)', async () => {
  const p = await createParticipant(t1.users.cmA!.cookie, t1.teamA, 'clinical');
  const r = await call(ctx.app, 'PATCH', `/api/v1/participants/${p.id}`, {
    cookie: t1.users.mentorA!.cookie,
    body: { notes: 'overwritten' },
    headers: { 'if-match': '1' },
  });
  assert.equal(r.status, 403);
  assert.deepEqual(r.body.error.details, [{ path: 'notes', code: 'field_forbidden' }]);
  const now = await call(ctx.app, 'GET', `/api/v1/participants/${p.id}`, { cookie: t1.users.cmA!.cookie });
  assert.equal(now.body.notes, 'clinical');
  assert.equal(now.body.version, 1);
});

test('keyset pages lose nothing when many rows share a timestamp (one-transaction imports)', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  await ownerDb()
    .transaction()
    .execute(async (tx) => {
      for (let i = 0; i < 5; i++) {
        await tx
          .insertInto('participants')
          .values({ tenant_id: t.tenantId, code: `SN-SAME${i}`, team_id: t.teamA, created_by: t.users.cm!.id })
          .execute();
      }
    });
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r = await call(ctx.app, 'GET', `/api/v1/participants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, {
      cookie: t.users.cm!.cookie,
    });
    seen.push(...r.body.items.map((i: { code: string }) => i.code));
    cursor = r.body.nextCursor;
  } while (cursor);
  assert.deepEqual(seen.sort(), ['SN-SAME0', 'SN-SAME1', 'SN-SAME2', 'SN-SAME3', 'SN-SAME4']);
});

/** The principal of a test user, as the session middleware would build it. */
function principalOf(u: { id: string; email: string; roles: string[] }, tenantId: string): Principal {
  const now = new Date();
  return {
    userId: u.id,
    tenantId,
    email: u.email,
    displayName: u.email,
    roles: u.roles,
    sessionId: crypto.randomUUID(),
    mfaPassed: true,
    mfaEnabled: true,
    mustEnrolMfa: false,
    isDemo: false,
    locale: 'en',
    calendar: 'gregory',
    tenantName: 'Test',
    tenantIsDemo: false,
    sessionCreatedAt: now,
    sessionExpiresAt: new Date(now.getTime() + 3_600_000),
    lastSeenAt: now,
  };
}

test("child rows cannot name another team's session, nor be re-pointed to one", async () => {
  const mine = await createParticipant(t1.users.cmA!.cookie, t1.teamA);
  const theirs = await createParticipant(t1.users.cmB!.cookie, t1.teamB);
  const body = (participantId: string) => ({
    kind: 'individual',
    discipline: 'case_manager',
    occurredAt: new Date().toISOString(),
    durationMinutes: 30,
    attendees: [{ participantId, attendance: 'present' }],
  });
  const theirSession = await call(ctx.app, 'POST', '/api/v1/sessions', {
    cookie: t1.users.cmB!.cookie,
    body: body(theirs.id),
  });
  assert.equal(theirSession.status, 201, theirSession.text);
  const mySession = await call(ctx.app, 'POST', '/api/v1/sessions', {
    cookie: t1.users.cmA!.cookie,
    body: body(mine.id),
  });
  assert.equal(mySession.status, 201, mySession.text);
  const cmA = principalOf(t1.users.cmA!, t1.tenantId);
  // Attaching my participant to team B's session would make that session (and its notes) visible to me.
  await assert.rejects(
    Scope.run(ctx.services, cmA, 'test', (scope) =>
      scope.insertChildren(sessionAttendance, [
        { session_id: theirSession.body.id, participant_id: mine.id, attendance: 'present', goal_ids: [] },
      ]),
    ),
    (e: unknown) => e instanceof AppError && e.code === 'NOT_FOUND',
  );
  // An update cannot move my attendance row to their session either: the key is not written.
  await Scope.run(ctx.services, cmA, 'test', (scope) =>
    scope.updateChildren(sessionAttendance, { session_id: theirSession.body.id, engagement: 4 }, (q) =>
      q.where('session_attendance.participant_id', '=', mine.id),
    ),
  );
  const rows = await ownerDb()
    .selectFrom('session_attendance')
    .select(['session_id', 'engagement'])
    .where('participant_id', '=', mine.id)
    .execute();
  assert.deepEqual(rows, [{ session_id: mySession.body.id, engagement: 4 }]);
  const seen = await call(ctx.app, 'GET', `/api/v1/sessions/${theirSession.body.id}`, { cookie: t1.users.cmA!.cookie });
  assert.equal(seen.status, 404);
});

test('a case cannot be moved to another team or program by an update, even by code that passes the field', async () => {
  const p = await createParticipant(t1.users.cmA!.cookie, t1.teamA);
  const cmA = principalOf(t1.users.cmA!, t1.tenantId);
  for (const patch of [{ team_id: t1.teamB }, { program_id: crypto.randomUUID() }, { code: 'SN-FORGED00' }]) {
    await assert.rejects(
      Scope.run(ctx.services, cmA, 'test', (scope) => scope.update(participants, p.id, p.version, patch)),
      (e: unknown) => e instanceof AppError && e.code === 'FORBIDDEN' && e.details?.[0]?.code === 'field_forbidden',
    );
  }
  const after = await ownerDb()
    .selectFrom('participants')
    .select(['team_id', 'version'])
    .where('id', '=', p.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual(after, { team_id: t1.teamA, version: p.version });
});
