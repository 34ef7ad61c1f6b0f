/**
 * Reliability under load and faults: no pool deadlock under parallel writes of every kind, the health
 * check answers throughout, overload answers 503 and recovers, cut connections do not crash the
 * process, runaway statements and forgotten transactions are ended, and a pool query inside a
 * transaction is refused at once instead of waiting for a second connection.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { itemsByCode } from '../src/core/assessment.ts';
import { shippedInstruments } from '../src/server/content.ts';
import { createApp } from '../src/server/app.ts';
import { createServices, type Services } from '../src/server/services.ts';
import { PoolInTransactionError } from '../src/server/db/connection.ts';
import { Scope } from '../src/server/access/scope.ts';
import { call, closeShared, intake, makeTenant, ownerDb, testConfig } from './helpers.ts';

let services: Services;
let app: ReturnType<typeof createApp>;
let t: Awaited<ReturnType<typeof makeTenant>>;
const guide = shippedInstruments().find((d) => d.key === 'sanad-needs-guide')!;
const N = 64;

before(async () => {
  process.env.SANAD_DEV = 'true';
  // A pool much smaller than the burst, so any request that needs two connections at once deadlocks.
  services = await createServices(testConfig({ dbPoolSize: 6 }), { migrate: false, quiet: true });
  app = createApp(services);
  t = await makeTenant(services, {
    cm: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
    cmB: { roles: ['case_manager'], team: 'b' },
  });
});
after(async () => {
  await services?.close();
  await closeShared();
});

/** Runs `burst` while polling /api/health; every health answer must be 200 and come within 3 s. */
async function withHealthWatch<T>(burst: () => Promise<T>): Promise<{ result: T; health: number[]; slowest: number }> {
  let done = false;
  const health: number[] = [];
  let slowest = 0;
  const watcher = (async () => {
    while (!done) {
      const t0 = Date.now();
      const r = await Promise.race([
        call(app, 'GET', '/api/health').then((x) => x.status),
        new Promise<number>((r) => setTimeout(() => r(-1), 3_000)),
      ]);
      slowest = Math.max(slowest, Date.now() - t0);
      health.push(r);
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  try {
    const result = await burst();
    return { result, health, slowest };
  } finally {
    done = true;
    await watcher;
  }
}

/**
 * After a burst: nobody waits for the pool, and the app left no transaction open in PostgreSQL. Other
 * test files run at the same time as the same role, so a transaction of theirs can be caught between
 * two statements: a leak is a backend still idle in the very same transaction state 1.5 s later (the
 * idle-in-transaction timeout is 30 s, so a leaked one would still be there).
 */
async function assertPoolRecovered(label: string): Promise<void> {
  const pool = services.database.pool;
  assert.equal(pool.waitingCount, 0, `${label}: requests still waiting for a connection`);
  const idleInTx = async () =>
    (
      await sql<{ pid: number; since: Date }>`select pid, state_change as since from pg_stat_activity
        where datname = current_database() and state like 'idle in transaction%' and usename = current_user`.execute(
        services.db,
      )
    ).rows;
  const first = await idleInTx();
  let stuck = first.length;
  if (stuck > 0) {
    await new Promise((r) => setTimeout(r, 1500));
    const later = await idleInTx();
    stuck = later.filter((x) => first.some((f) => f.pid === x.pid && f.since.getTime() === x.since.getTime())).length;
  }
  assert.equal(stuck, 0, `${label}: connections left idle in transaction`);
}

async function newCase(): Promise<{ id: string; version: number }> {
  const r = await call(app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
  });
  assert.equal(r.status, 201, r.text);
  return r.body;
}

async function newDraft(pid: string): Promise<{ id: string; version: number }> {
  const a = await call(app, 'POST', `/api/v1/participants/${pid}/assessments`, {
    cookie: t.users.psy!.cookie,
    body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
  });
  assert.equal(a.status, 201, a.text);
  return a.body;
}

/** Fires the requests all at once; fails on any 5xx or unexpected status. */
async function burst(
  label: string,
  reqs: (() => Promise<{ status: number; text: string }>)[],
  allowed: number[],
): Promise<number[]> {
  const { result, health, slowest } = await withHealthWatch(() => Promise.all(reqs.map((r) => r())));
  const statuses = result.map((r) => r.status);
  const bad = result.filter((r) => !allowed.includes(r.status));
  assert.deepEqual(
    bad.map((r) => `${r.status} ${r.text.slice(0, 160)}`),
    [],
    `${label}: unexpected answers`,
  );
  assert.ok(
    health.length > 0 && health.every((h) => h === 200),
    `${label}: health answers ${JSON.stringify(health)} (slowest ${slowest} ms)`,
  );
  await assertPoolRecovered(label);
  return statuses;
}

test(
  '32 parallel assessment PATCHes on one draft and on 32 drafts finish (no pool deadlock) and health answers',
  { timeout: 120_000 },
  async () => {
    const p = await newCase();
    const one = await newDraft(p.id);
    const many = await Promise.all(Array.from({ length: 32 }, () => newDraft(p.id)));
    const same = await burst(
      'one draft',
      Array.from(
        { length: 32 },
        () => () =>
          call(app, 'PATCH', `/api/v1/assessments/${one.id}`, {
            cookie: t.users.psy!.cookie,
            body: { formulation: 'x' },
            headers: { 'if-match': String(one.version) },
          }),
      ),
      [200, 409],
    );
    assert.equal(same.filter((s) => s === 200).length, 1, 'exactly one writer wins on the same version');
    const each = await burst(
      '32 drafts',
      many.map(
        (a) => () =>
          call(app, 'PATCH', `/api/v1/assessments/${a.id}`, {
            cookie: t.users.psy!.cookie,
            body: { formulation: 'x' },
            headers: { 'if-match': String(a.version) },
          }),
      ),
      [200],
    );
    assert.equal(each.length, 32);
  },
);

test(
  `${N} parallel writes of every kind of assessment and case write leave the pool healthy`,
  { timeout: 300_000 },
  async () => {
    const cases = await Promise.all(Array.from({ length: 8 }, () => newCase()));
    const pick = (i: number) => cases[i % cases.length]!;
    const cm = t.users.cm!.cookie;
    const psy = t.users.psy!.cookie;
    const ok = [200, 201, 409];

    // Assessments: create, rate, patch, finalise, amend, recommendations.
    const drafts = await burst(
      'assessment create',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', `/api/v1/participants/${pick(i).id}/assessments`, {
            cookie: psy,
            body: { instrumentKey: 'sanad-needs-guide', instrumentVersion: '1.0' },
          }),
      ),
      [201],
    );
    assert.equal(drafts.length, N);
    const list = await Promise.all(Array.from({ length: N }, (_, i) => newDraft(pick(i).id)));
    const items = [...itemsByCode(guide)];
    const [code, item] = items[0]!;
    const ratings = Object.fromEntries(
      item.scales.map((s) => [s, guide.scales.find((x) => x.key === s)!.options[0]!.value]),
    );
    await burst(
      'assessment rate',
      list.map(
        (a) => () =>
          call(app, 'PUT', `/api/v1/assessments/${a.id}/items/${code}`, {
            cookie: psy,
            body: { ratings },
            headers: { 'if-match': String(a.version) },
          }),
      ),
      [200],
    );
    const rated = await Promise.all(
      list.map(
        async (a) =>
          (await call(app, 'GET', `/api/v1/assessments/${a.id}`, { cookie: psy })).body as {
            id: string;
            version: number;
          },
      ),
    );
    await burst(
      'assessment patch',
      rated.map(
        (a) => () =>
          call(app, 'PATCH', `/api/v1/assessments/${a.id}`, {
            cookie: psy,
            body: { formulation: 'Synthetic formulation' },
            headers: { 'if-match': String(a.version) },
          }),
      ),
      [200],
    );
    // Finalise is refused (not every item rated): a read-validate-refuse path under load, still no 5xx.
    await burst(
      'assessment finalise',
      rated.map(
        (a) => () =>
          call(app, 'POST', `/api/v1/assessments/${a.id}/finalise`, {
            cookie: psy,
            headers: { 'if-match': String(a.version + 1) },
          }),
      ),
      [200, 400, 409],
    );
    await burst(
      'assessment amend',
      rated.map((a) => () => call(app, 'POST', `/api/v1/assessments/${a.id}/amend`, { cookie: psy })),
      [201, 400, 409],
    );
    await burst(
      'assessment recommendations',
      rated.map(
        (a) => () =>
          call(app, 'POST', `/api/v1/assessments/${a.id}/recommendations`, {
            cookie: cm,
            body: { items: [{ domain: 'economic', title: 'Find stable work' }] },
          }),
      ),
      [201, 400],
    );

    // Case work: intake, edit, consents, goals, notes, plan, sessions, transitions, handovers, reveal, search.
    await burst(
      'intake',
      Array.from(
        { length: N },
        () => () => call(app, 'POST', '/api/v1/participants', { cookie: cm, body: intake({ teamId: t.teamA }) }),
      ),
      [201],
    );
    await burst(
      'participant edit',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'PATCH', `/api/v1/participants/${pick(i).id}`, {
            cookie: cm,
            body: { notes: `note ${i}` },
            headers: { 'if-match': String(pick(i).version) },
          }),
      ),
      ok,
    );
    const consents = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        call(app, 'POST', `/api/v1/participants/${pick(i).id}/consents`, {
          cookie: cm,
          body: { purpose: 'research', legalBasis: 'consent', givenOn: '2026-01-01', source: 'form' },
        }),
      ),
    );
    await burst(
      'consent withdraw',
      consents.map(
        (c) => () =>
          call(app, 'POST', `/api/v1/consents/${c.body.id}/withdraw`, {
            cookie: cm,
            body: { reason: 'synthetic' },
            headers: { 'if-match': '1' },
          }),
      ),
      [200],
    );
    await burst(
      'consent create',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', `/api/v1/participants/${pick(i).id}/consents`, {
            cookie: cm,
            body: { purpose: 'services', legalBasis: 'consent', givenOn: '2026-01-01', source: 'form' },
          }),
      ),
      [201],
    );
    const goals = await Promise.all(
      Array.from({ length: N }, (_, i) =>
        call(app, 'POST', `/api/v1/participants/${pick(i).id}/goals`, {
          cookie: cm,
          body: { domain: 'economic', title: `Goal ${i}` },
        }),
      ),
    );
    await burst(
      'goal create',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', `/api/v1/participants/${pick(i).id}/goals`, {
            cookie: cm,
            body: { domain: 'economic', title: `More ${i}` },
          }),
      ),
      [201],
    );
    await burst(
      'goal patch',
      goals.map(
        (g) => () =>
          call(app, 'PATCH', `/api/v1/goals/${g.body.id}`, {
            cookie: cm,
            body: { progress: 10 },
            headers: { 'if-match': '1' },
          }),
      ),
      [200],
    );
    await burst(
      'goal note',
      goals.map(
        (g) => () =>
          call(app, 'POST', `/api/v1/goals/${g.body.id}/notes`, { cookie: cm, body: { note: 'Synthetic note' } }),
      ),
      [201],
    );
    const submits = await burst(
      'plan submit',
      Array.from(
        { length: N },
        (_, i) => () => call(app, 'POST', `/api/v1/participants/${pick(i).id}/plan/submit`, { cookie: cm }),
      ),
      [201, 400, 409],
    );
    assert.ok(submits.some((s) => s === 201));
    await burst(
      'session',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', '/api/v1/sessions', {
            cookie: cm,
            body: {
              kind: 'individual',
              discipline: 'case_manager',
              occurredAt: new Date(Date.now() - 60_000).toISOString(),
              durationMinutes: 30,
              attendees: [{ participantId: pick(i).id, attendance: 'present' }],
              notes: 'synthetic',
            },
          }),
      ),
      [201],
    );
    await burst(
      'reveal',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', `/api/v1/participants/${pick(i).id}/reveal`, {
            cookie: cm,
            body: { purpose: 'family_contact', reason: 'arranging a family session' },
          }),
      ),
      [200],
    );
    await burst(
      'search',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', '/api/v1/participants/search', {
            cookie: cm,
            body: { givenName: `Test${i}`, familyName: 'Synthetic' },
          }),
      ),
      [200, 429],
    );
    const fresh = await Promise.all(
      cases.map(
        async (c) =>
          (await call(app, 'GET', `/api/v1/participants/${c.id}/gates`, { cookie: t.users.sup!.cookie })).body as {
            next: string | null;
            participantVersion: number;
          },
      ),
    );
    await burst(
      'transition',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', `/api/v1/participants/${cases[i % cases.length]!.id}/transitions`, {
            cookie: t.users.sup!.cookie,
            body: {
              toPhase: fresh[i % cases.length]!.next ?? 'closure',
              reason: 'synthetic',
              overrideReason: 'load test override',
            },
            headers: { 'if-match': String(fresh[i % cases.length]!.participantVersion) },
          }),
      ),
      [201, 400, 409],
    );
    await burst(
      'handover',
      Array.from(
        { length: N },
        (_, i) => () =>
          call(app, 'POST', `/api/v1/participants/${pick(i).id}/handovers`, {
            cookie: cm,
            body: { toTeamId: t.teamB, reason: 'Moving to the other district' },
          }),
      ),
      [201, 400, 409],
    );
  },
);

test('a pool query inside a transaction is refused at once (it would wait for a second connection)', async () => {
  await assert.rejects(
    services.db.transaction().execute(async () => {
      await services.db.selectFrom('tenants').select('id').limit(1).execute();
    }),
    PoolInTransactionError,
  );
  // Through the Scope too, and the refusal does not leak a connection.
  const principal = {
    userId: t.users.cm!.id,
    tenantId: t.tenantId,
    roles: t.users.cm!.roles,
    mfaPassed: true,
  } as never;
  await assert.rejects(
    Scope.run(services, principal, 'req', async () => services.db.selectFrom('tenants').select('id').execute()),
    PoolInTransactionError,
  );
  // A transaction's own queries, and the pool after it, work.
  const n = await services.db
    .transaction()
    .execute(async (tx) => (await tx.selectFrom('tenants').select('id').limit(1).execute()).length);
  assert.equal(n, 1);
  await assertPoolRecovered('guard');
});

test(
  'no free connection in time answers 503 with Retry-After, and the server recovers',
  { timeout: 60_000 },
  async () => {
    const small = await createServices(testConfig({ dbPoolSize: 2, dbAcquireTimeoutMs: 300 }), {
      migrate: false,
      quiet: true,
    });
    const smallApp = createApp(small);
    try {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const holders = [0, 1].map(() =>
        small.db.transaction().execute(async (tx) => {
          await sql`select 1`.execute(tx);
          await held;
        }),
      );
      await new Promise((r) => setTimeout(r, 100));
      const busy = await call(smallApp, 'GET', '/api/v1/participants', { cookie: t.users.cm!.cookie });
      assert.equal(busy.status, 503, busy.text);
      assert.equal(busy.body.error.code, 'UNAVAILABLE');
      assert.equal(busy.headers.get('retry-after'), '5');
      const health = await call(smallApp, 'GET', '/api/health');
      assert.equal(health.status, 200, 'health has its own connection and tells the truth about the database');
      release();
      await Promise.all(holders);
      const after = await call(smallApp, 'GET', '/api/v1/participants', { cookie: t.users.cm!.cookie });
      assert.equal(after.status, 200, after.text);
    } finally {
      await small.close();
    }
  },
);

test(
  'PostgreSQL ends runaway statements and forgotten open transactions; the process survives',
  { timeout: 60_000 },
  async () => {
    const strict = await createServices(
      testConfig({ dbPoolSize: 2, dbStatementTimeoutMs: 200, dbIdleInTransactionTimeoutMs: 300 }),
      { migrate: false, quiet: true },
    );
    try {
      await assert.rejects(sql`select pg_sleep(2)`.execute(strict.db), (e: { code?: string }) => e.code === '57014');
      await assert.rejects(
        strict.db.transaction().execute(async (tx) => {
          await sql`select 1`.execute(tx);
          await new Promise((r) => setTimeout(r, 1_000));
          await sql`select 1`.execute(tx);
        }),
      );
      // The killed connection was dropped from the pool; the next queries work.
      for (let i = 0; i < 4; i++)
        assert.equal((await sql<{ one: number }>`select 1 as one`.execute(strict.db)).rows[0]!.one, 1);
    } finally {
      await strict.close();
    }
  },
);

test(
  'connections cut by the server (pg_terminate_backend) do not crash the process; requests work again',
  { timeout: 60_000 },
  async () => {
    const cut = await createServices(testConfig({ dbPoolSize: 3 }), { migrate: false, quiet: true });
    const cutApp = createApp(cut);
    try {
      // Warm the pool, keep one query in flight while its connection is killed.
      const pids = await Promise.all(
        [0, 1, 2].map(
          async () =>
            (await sql<{ pid: number }>`select pg_backend_pid() as pid, pg_sleep(0.1)`.execute(cut.db)).rows[0]!.pid,
        ),
      );
      const inFlight = sql`select pg_sleep(5)`.execute(cut.db).then(
        () => 'done',
        (e: { code?: string }) => e.code ?? 'error',
      );
      await new Promise((r) => setTimeout(r, 200));
      // Only this pool's connections: other suites share the database and the role.
      const killed = await sql<{
        n: number;
      }>`select count(*)::int as n from (select pg_terminate_backend(pid) from pg_stat_activity where pid = any(${[...new Set(pids)]}::int[])) k`.execute(
        ownerDb(),
      );
      assert.ok(killed.rows[0]!.n >= 1, 'the app had connections to cut');
      assert.equal(await inFlight, '57P01', 'the query in flight fails with admin_shutdown');
      // A request that meets a connection cut a moment ago may get a retryable 503, never a 500 or a crash.
      const statuses: number[] = [];
      for (let i = 0; i < 5 && statuses.at(-1) !== 200; i++)
        statuses.push((await call(cutApp, 'GET', '/api/v1/participants', { cookie: t.users.cm!.cookie })).status);
      assert.ok(
        statuses.every((s) => s === 200 || s === 503),
        JSON.stringify(statuses),
      );
      assert.equal(statuses.at(-1), 200, JSON.stringify(statuses));
      assert.equal((await call(cutApp, 'GET', '/api/health')).status, 200);
    } finally {
      await cut.close();
    }
  },
);
