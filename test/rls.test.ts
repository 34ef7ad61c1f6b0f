/**
 * The database backstop behind the Scope (row-level security, migration 0007): with the Scope bypassed
 * — a raw query as the app role with no tenant setting, or with another tenant's — every case table
 * shows 0 rows and refuses writes. Bound to the right tenant, the same query sees the rows.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { itemsByCode } from '../src/core/assessment.ts';
import { shippedInstruments } from '../src/server/content.ts';
import { bindTenant, CASE_TABLES as RLS_TABLES } from '../src/server/access/tenant.ts';
import type { Tx } from '../src/server/db/schema.ts';
import { call, closeShared, intake, makeTenant, ownerDb, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;

before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
  });
  other = await makeTenant(ctx.services, {});
  // A row in every case table of tenant t, through the API.
  const cm = t.users.cm!.cookie;
  const p = await call(ctx.app, 'POST', '/api/v1/participants', { cookie: cm, body: intake({ teamId: t.teamA }) });
  assert.equal(p.status, 201, p.text);
  const id = p.body.id as string;
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/participants/${id}/consents`, {
      cookie: cm,
      body: { purpose: 'services', legalBasis: 'consent', givenOn: '2026-01-02', source: 'form' },
    }),
    201,
  );
  const g = await call(ctx.app, 'POST', `/api/v1/participants/${id}/goals`, {
    cookie: cm,
    body: { domain: 'economic', title: 'Work' },
  });
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/goals/${g.body.id}/notes`, { cookie: cm, body: { note: 'n' } }),
    201,
  );
  expectStatus(await call(ctx.app, 'POST', `/api/v1/participants/${id}/plan/submit`, { cookie: cm }), 201);
  expectStatus(
    await call(ctx.app, 'POST', '/api/v1/sessions', {
      cookie: cm,
      body: {
        kind: 'individual',
        discipline: 'case_manager',
        occurredAt: new Date(Date.now() - 60_000).toISOString(),
        durationMinutes: 30,
        attendees: [{ participantId: id, attendance: 'present' }],
      },
    }),
    201,
  );
  const gates = await call(ctx.app, 'GET', `/api/v1/participants/${id}/gates`, { cookie: t.users.sup!.cookie });
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/participants/${id}/transitions`, {
      cookie: t.users.sup!.cookie,
      body: { toPhase: gates.body.next, reason: 'synthetic move', overrideReason: 'backstop test' },
      headers: { 'if-match': String(gates.body.participantVersion) },
    }),
    201,
  );
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/participants/${id}/handovers`, {
      cookie: cm,
      body: { toTeamId: t.teamB, reason: 'Moving' },
    }),
    201,
  );
  const a = await call(ctx.app, 'POST', `/api/v1/participants/${id}/assessments`, {
    cookie: t.users.psy!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
  });
  assert.equal(a.status, 201, a.text);
  const guide = shippedInstruments().find((d) => d.key === 'sanad-needs-guide')!;
  const [code, first] = [...itemsByCode(guide)][0]!;
  const ratings = Object.fromEntries(
    first.scales.map((sc) => [sc, guide.scales.find((x) => x.key === sc)!.options[0]!.value]),
  );
  expectStatus(
    await call(ctx.app, 'PUT', `/api/v1/assessments/${a.body.id}/items/${code}`, {
      cookie: t.users.psy!.cookie,
      body: { ratings },
      headers: { 'if-match': '1' },
    }),
    200,
  );
  // A board meeting with the case on its agenda, a recusal, a vote and a decision.
  const sup = t.users.sup!.cookie;
  const board = await call(ctx.app, 'POST', '/api/v1/boards', {
    cookie: sup,
    body: {
      programId: t.programId,
      name: 'Board',
      quorum: { minMembers: 1, requiredRoles: [] },
      members: [
        { userId: t.users.sup!.id, role: 'case_manager', chair: true },
        { userId: t.users.psy!.id, role: 'psychologist' },
      ],
    },
  });
  expectStatus(board, 201);
  const meeting = await call(ctx.app, 'POST', `/api/v1/boards/${board.body.id}/meetings`, {
    cookie: sup,
    body: { scheduledFor: new Date().toISOString() },
  });
  expectStatus(meeting, 201);
  const item = await call(ctx.app, 'POST', `/api/v1/board-meetings/${meeting.body.id}/agenda`, {
    cookie: sup,
    body: { participantId: id, question: 'continue_in_phase', reason: 'review' },
  });
  expectStatus(item, 201);
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/board-meetings/${meeting.body.id}/state`, {
      cookie: sup,
      body: { to: 'open' },
      headers: { 'if-match': '1' },
    }),
    200,
  );
  for (const u of [t.users.sup!, t.users.psy!])
    expectStatus(
      await call(ctx.app, 'POST', `/api/v1/board-meetings/${meeting.body.id}/attendance`, {
        cookie: sup,
        body: { userId: u.id, present: true },
      }),
      204,
    );
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/agenda-items/${item.body.id}/recusal`, {
      cookie: t.users.psy!.cookie,
      body: { reason: 'conflict' },
    }),
    204,
  );
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/agenda-items/${item.body.id}/votes`, { cookie: sup, body: { vote: 'agree' } }),
    204,
  );
  expectStatus(
    await call(ctx.app, 'POST', `/api/v1/agenda-items/${item.body.id}/decision`, {
      cookie: sup,
      body: { outcome: 'approved', wording: 'Continue' },
    }),
    201,
  );
});
after(closeShared);

function expectStatus(r: { status: number; text: string }, want: number): void {
  assert.equal(r.status, want, r.text);
}

/** Rows of tenant t in a table, counted inside one transaction after `prepare`. */
async function count(table: string, prepare: (tx: Tx) => Promise<void>): Promise<number> {
  return ctx.services.db.transaction().execute(async (tx) => {
    await prepare(tx);
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${t.tenantId}`.execute(tx);
    return r.rows[0]!.n;
  });
}

test('the owner sees a row of tenant t in every case table (the fixture is complete)', async () => {
  for (const table of RLS_TABLES) {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${t.tenantId}`.execute(ownerDb());
    assert.ok(r.rows[0]!.n > 0, `${table} has rows of tenant t`);
  }
});

test('bypassing the Scope: no tenant setting, or another tenant’s, sees 0 rows in every case table', async () => {
  for (const table of RLS_TABLES) {
    assert.equal(await count(table, async () => undefined), 0, `${table}, no setting`);
    assert.equal(await count(table, (tx) => bindTenant(tx, other.tenantId)), 0, `${table}, another tenant`);
    assert.ok((await count(table, (tx) => bindTenant(tx, t.tenantId))) > 0, `${table}, bound to its tenant`);
  }
  // Outside any transaction, on the pool, too.
  const pooled = await sql<{
    n: number;
  }>`select count(*)::int as n from participants where tenant_id = ${t.tenantId}`.execute(ctx.services.db);
  assert.equal(pooled.rows[0]!.n, 0);
});

test('bypassing the Scope: writes to tenant t’s case rows are refused or touch nothing', async () => {
  for (const table of RLS_TABLES) {
    for (const [label, prepare] of [
      ['no setting', async () => undefined],
      ['another tenant', (tx: Tx) => bindTenant(tx, other.tenantId)],
    ] as [string, (tx: Tx) => Promise<void>][]) {
      const changed = await ctx.services.db.transaction().execute(async (tx) => {
        await prepare(tx);
        const u =
          await sql`update ${sql.table(table)} set tenant_id = tenant_id where tenant_id = ${t.tenantId}`.execute(tx);
        const d = await sql`delete from ${sql.table(table)} where tenant_id = ${t.tenantId}`.execute(tx);
        return Number(u.numAffectedRows ?? 0) + Number(d.numAffectedRows ?? 0);
      });
      assert.equal(changed, 0, `${table}, ${label}: update/delete touched nothing`);
    }
  }
  // Inserting a row for tenant t while bound to another tenant (or to none) violates the policy.
  for (const prepare of [async () => undefined, (tx: Tx) => bindTenant(tx, other.tenantId)] as ((
    tx: Tx,
  ) => Promise<void>)[]) {
    await assert.rejects(
      ctx.services.db.transaction().execute(async (tx) => {
        await prepare(tx);
        await sql`insert into participant_blind_index (tenant_id, participant_id, kind, hash) select tenant_id, participant_id, 'x', hash from participant_blind_index limit 1`.execute(
          tx,
        );
        await sql`insert into consents (id, tenant_id, participant_id, purpose, legal_basis, given_on, source, created_by) values (gen_random_uuid(), ${t.tenantId}, gen_random_uuid(), 'services', 'consent', '2026-01-01', 'x', gen_random_uuid())`.execute(
          tx,
        );
      }),
      (e: { code?: string }) => e.code === '42501',
    );
  }
  // Nothing of tenant t was lost.
  for (const table of RLS_TABLES) {
    const r = await sql<{
      n: number;
    }>`select count(*)::int as n from ${sql.table(table)} where tenant_id = ${t.tenantId}`.execute(ownerDb());
    assert.ok(r.rows[0]!.n > 0, table);
  }
});

test('the tenant setting does not outlive its transaction on a pooled connection', async () => {
  const pool = ctx.services.database.pool;
  const c = await pool.connect();
  try {
    await c.query('begin');
    await c.query(`select set_config('sanad.tenant_id', $1, true)`, [t.tenantId]);
    assert.ok(
      (await c.query<{ n: number }>('select count(*)::int as n from participants where tenant_id = $1', [t.tenantId]))
        .rows[0]!.n > 0,
    );
    await c.query('commit');
    assert.equal(
      (await c.query<{ n: number }>('select count(*)::int as n from participants where tenant_id = $1', [t.tenantId]))
        .rows[0]!.n,
      0,
    );
  } finally {
    c.release();
  }
});

test('every case table (the list the chokepoint test uses too) has row-level security on, with the tenant policy', async () => {
  const r = await sql<{ t: string; rls: boolean; policies: number }>`
    select c.relname as t, c.relrowsecurity as rls, (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies
    from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = 'public' and c.relname = any(${[...RLS_TABLES]}::text[])`.execute(
    ownerDb(),
  );
  assert.equal(r.rows.length, RLS_TABLES.length);
  for (const row of r.rows)
    assert.ok(row.rls && row.policies >= 1, `${row.t}: rls ${row.rls}, ${row.policies} policies`);
});
