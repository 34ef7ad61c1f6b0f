/** The audit log: same-transaction events, append-only table, hash chains that detect tampering. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { sql } from 'kysely';
import { AuditLog } from '../src/server/audit/log.ts';
import { verifyAudit } from '../src/server/audit/verify.ts';
import { claimsFrom, signHeads } from '../src/server/audit/heads.ts';
import { call, closeShared, makeTenant, ownerDb, shared$, testConfig } from './helpers.ts';
import { intake } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
before(async () => {
  ctx = await shared$();
});
after(closeShared);

async function tenantWithEvents(n: number) {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' }, dpo: { roles: ['dpo'] } });
  for (let i = 0; i < n; i++) {
    await ctx.services.db.transaction().execute((tx) =>
      new AuditLog(tx, { tenantId: t.tenantId, actorId: t.users.cm!.id, requestId: `r${i}` }).append({
        action: 'test.event',
        entityType: 'thing',
        entityId: String(i),
        details: { i, note: 'ünïcödé ✓' },
      }),
    );
  }
  return t;
}

/** Runs raw SQL with the append-only triggers off, inside one transaction (as an attacker with the owner's access would). */
async function tamper(statements: ReturnType<typeof sql>[]) {
  await ownerDb()
    .transaction()
    .execute(async (tx) => {
      await sql`alter table audit_events disable trigger user`.execute(tx);
      await sql`alter table audit_chains disable trigger user`.execute(tx);
      for (const s of statements) await s.execute(tx);
      await sql`alter table audit_chains enable trigger user`.execute(tx);
      await sql`alter table audit_events enable trigger user`.execute(tx);
    });
}

async function eventsOf(tenantId: string) {
  return ctx.services.db
    .selectFrom('audit_events')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('chain_no')
    .orderBy('seq')
    .execute();
}

function cli(args: string[]) {
  const root = path.resolve(import.meta.dirname, '..');
  const cfg = testConfig();
  return spawnSync(process.execPath, [path.join(root, 'bin/sanad.js'), ...args], {
    env: {
      ...process.env,
      DATABASE_URL: cfg.databaseUrl,
      SANAD_MASTER_KEY_FILE: cfg.masterKeyFile,
      LOG_LEVEL: 'error',
    },
    encoding: 'utf8',
  });
}

test('the table refuses UPDATE, DELETE and TRUNCATE', async () => {
  const t = await tenantWithEvents(1);
  // The app role lacks the privilege; even the owner meets the triggers.
  for (const db of [ctx.services.db, ownerDb()]) {
    const refused = db === ctx.services.db ? /append-only|permission denied/ : /append-only/;
    await assert.rejects(
      sql`update audit_events set action = 'x' where tenant_id = ${t.tenantId}`.execute(db),
      refused,
    );
    await assert.rejects(sql`delete from audit_events where tenant_id = ${t.tenantId}`.execute(db), refused);
    await assert.rejects(sql`truncate audit_events`.execute(db), refused);
  }
  await signHeads(ctx.services, t.tenantId);
  await assert.rejects(
    sql`delete from audit_heads where tenant_id = ${t.tenantId}`.execute(ctx.services.db),
    /append-only|permission denied/,
  );
  await assert.rejects(sql`delete from audit_heads where tenant_id = ${t.tenantId}`.execute(ownerDb()), /append-only/);
  // Chain heads only move forward and cannot be removed (a removed head must not hide a chain).
  await assert.rejects(
    sql`update audit_chains set seq = 0 where tenant_id = ${t.tenantId} and seq > 0`.execute(ctx.services.db),
    /only move forward/,
  );
  await assert.rejects(
    sql`delete from audit_chains where tenant_id = ${t.tenantId}`.execute(ctx.services.db),
    /only move forward/,
  );
});

test('an intact log verifies, through the API and through `sanad audit verify` (exit 0)', async () => {
  const t = await tenantWithEvents(5);
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId });
  assert.equal(r.ok, true);
  assert.equal(r.checked, 5);
  const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
  assert.equal(out.status, 0, out.stderr + out.stdout);
  assert.match(out.stdout, /intact: 5 events/);
  const api = await call(ctx.app, 'GET', '/api/v1/audit/verify', { cookie: t.users.dpo!.cookie });
  assert.equal(api.status, 200);
  assert.equal(api.body.ok, true);
  // The verification itself is audited (the auditors are audited too).
  const seen = await ctx.services.db
    .selectFrom('audit_events')
    .select('action')
    .where('tenant_id', '=', t.tenantId)
    .where('actor_id', '=', t.users.dpo!.id)
    .execute();
  assert.deepEqual(
    seen.map((e) => e.action),
    ['audit.verify'],
  );
});

test('one changed byte is found and named (CLI exits non-zero)', async () => {
  const t = await tenantWithEvents(4);
  const evs = await eventsOf(t.tenantId);
  const victim = evs[1]!;
  await tamper([sql`update audit_events set action = 'test.evenT' where id = ${victim.id}`]);
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId });
  assert.equal(r.ok, false);
  assert.equal(r.firstBad?.id, victim.id);
  assert.equal(r.firstBad?.reason, 'hash_mismatch');
  const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
  assert.notEqual(out.status, 0);
  assert.match(out.stdout, new RegExp(`BROKEN at event ${victim.id}`));
});

test('a deleted row is found, and so is a deleted tail', async () => {
  const t = await makeTenant(ctx.services, {});
  // One transaction writes to one chain: four consecutive links.
  await ctx.services.db.transaction().execute(async (tx) => {
    const log = new AuditLog(tx, { tenantId: t.tenantId, actorId: null, requestId: 'd' });
    for (let i = 0; i < 4; i++) await log.append({ action: 'test.chain', entityId: String(i) });
  });
  const evs = await eventsOf(t.tenantId);
  assert.equal(new Set(evs.map((e) => e.chain_no)).size, 1);
  await tamper([sql`delete from audit_events where id = ${evs[1]!.id}`]);
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId });
  assert.equal(r.ok, false);
  assert.equal(r.firstBad?.id, evs[2]!.id, 'the event after the gap is named');
  assert.equal(r.firstBad?.reason, 'missing_event');

  const t2 = await makeTenant(ctx.services, {});
  await ctx.services.db.transaction().execute(async (tx) => {
    const log = new AuditLog(tx, { tenantId: t2.tenantId, actorId: null, requestId: 'd' });
    for (let i = 0; i < 3; i++) await log.append({ action: 'test.chain', entityId: String(i) });
  });
  const evs2 = await eventsOf(t2.tenantId);
  await tamper([sql`delete from audit_events where id = ${evs2[2]!.id}`]);
  const r2 = await verifyAudit(ctx.services.db, { tenantId: t2.tenantId });
  assert.equal(r2.ok, false);
  assert.equal(r2.firstBad?.reason, 'head_mismatch');
});

test('events of a chain whose head row was removed are still verified', async () => {
  const t = await tenantWithEvents(4);
  const evs = await eventsOf(t.tenantId);
  await tamper([sql`delete from audit_chains where tenant_id = ${t.tenantId} and chain_no = ${evs[0]!.chain_no}`]);
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId });
  assert.equal(r.ok, false);
  assert.equal(r.checked, 4, 'no event is skipped');
  assert.equal(r.firstBad?.reason, 'head_mismatch');
});

test('two swapped rows are found', async () => {
  const t = await tenantWithEvents(3);
  const evs = await eventsOf(t.tenantId);
  const [a, b] = [evs[0]!, evs[1]!];
  // Swap their content (everything but the chain position).
  await tamper([
    sql`update audit_events set entity_id = 'tmp' where id = ${a.id}`,
    sql`update audit_events set entity_id = ${a.entity_id}, request_id = ${a.request_id}, details = ${JSON.stringify(a.details)}::jsonb where id = ${b.id}`,
    sql`update audit_events set entity_id = ${b.entity_id}, request_id = ${b.request_id}, details = ${JSON.stringify(b.details)}::jsonb where id = ${a.id}`,
  ]);
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId });
  assert.equal(r.ok, false);
  assert.ok([a.id, b.id].includes(r.firstBad!.id!));
});

test('a truncated tail that also rewinds the chain head is caught by an exported signed head', async () => {
  const t = await tenantWithEvents(3);
  const exported = await signHeads(ctx.services, t.tenantId);
  const { claims } = await claimsFrom(ctx.services, [exported]);
  assert.equal((await verifyAudit(ctx.services.db, { tenantId: t.tenantId, claims })).ok, true);
  const evs = await eventsOf(t.tenantId);
  const last = evs[evs.length - 1]!;
  await tamper([
    sql`delete from audit_events where id = ${last.id}`,
    sql`update audit_chains set seq = ${Number(last.seq) - 1}, head_hash = ${last.prev_hash} where tenant_id = ${t.tenantId} and chain_no = ${last.chain_no}`,
  ]);
  // Without the export the cut is consistent and invisible; with it, it is not.
  assert.equal((await verifyAudit(ctx.services.db, { tenantId: t.tenantId })).ok, true);
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId, claims });
  assert.equal(r.ok, false);
  assert.equal(r.firstBad?.reason, 'signed_head_missing');
  // A forged statement fails signature verification: it is skipped and reported, never trusted.
  const [h, p, s] = exported.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p!, 'base64url').toString()), tenantId: 'x' })).toString('base64url')}.${s}`;
  const checked = await claimsFrom(ctx.services, [forged, exported]);
  assert.equal(checked.claims.length, claims.length, 'only the genuine statement gives claims');
  assert.deepEqual(
    checked.invalid.map((b) => [b.reason, b.statement]),
    [['signed_head_invalid', 'statement 1']],
  );
});

test('concurrent writers spread over chains and every chain still verifies', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  await Promise.all(
    Array.from({ length: 24 }, (_, i) =>
      ctx.services.db.transaction().execute(async (tx) => {
        const log = new AuditLog(tx, { tenantId: t.tenantId, actorId: null, requestId: `c${i}` });
        await log.append({ action: 'test.concurrent', entityId: String(i) });
        await sql`select pg_sleep(0.02)`.execute(tx);
        await log.append({ action: 'test.concurrent.second', entityId: String(i) });
      }),
    ),
  );
  const r = await verifyAudit(ctx.services.db, { tenantId: t.tenantId });
  assert.equal(r.ok, true);
  assert.equal(r.checked, 48);
  const chains = await ctx.services.db
    .selectFrom('audit_events')
    .select('chain_no')
    .distinct()
    .where('tenant_id', '=', t.tenantId)
    .execute();
  assert.ok(chains.length > 1, 'events should land on more than one chain');
});

test('a write and its audit event commit or roll back together', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  await assert.rejects(
    ctx.services.db.transaction().execute(async (tx) => {
      await new AuditLog(tx, { tenantId: t.tenantId, actorId: null, requestId: 'x' }).append({
        action: 'test.rolled_back',
      });
      throw new Error('boom');
    }),
  );
  const n = await ctx.services.db
    .selectFrom('audit_events')
    .select('id')
    .where('tenant_id', '=', t.tenantId)
    .where('action', '=', 'test.rolled_back')
    .execute();
  assert.equal(n.length, 0);
  assert.equal((await verifyAudit(ctx.services.db, { tenantId: t.tenantId })).ok, true);
});

test('the DPO filters the log and sees who viewed or changed a record; others may not browse it', async () => {
  const t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    dpo: { roles: ['dpo'] },
    admin: { roles: ['tenant_admin'] },
  });
  const p = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, notes: 'n' }),
  });
  await call(ctx.app, 'GET', `/api/v1/participants/${p.body.id}`, { cookie: t.users.psy!.cookie });
  await call(ctx.app, 'PATCH', `/api/v1/participants/${p.body.id}`, {
    cookie: t.users.cm!.cookie,
    body: { notes: 'm' },
    headers: { 'if-match': '1' },
  });
  const r = await call(ctx.app, 'GET', `/api/v1/audit/events?entityId=${p.body.id}`, { cookie: t.users.dpo!.cookie });
  assert.equal(r.status, 200);
  const seen = r.body.items.map((e: { action: string; actorEmail: string }) => `${e.action}:${e.actorEmail}`).sort();
  assert.deepEqual(
    seen,
    [
      `participant.create:${t.users.cm!.email}`,
      `participant.read:${t.users.psy!.email}`,
      `participant.update:${t.users.cm!.email}`,
    ].sort(),
  );
  const byActor = await call(
    ctx.app,
    'GET',
    `/api/v1/audit/events?actorId=${t.users.psy!.id}&action=participant.read`,
    { cookie: t.users.dpo!.cookie },
  );
  assert.equal(byActor.body.items.length, 1);
  const future = await call(ctx.app, 'GET', `/api/v1/audit/events?from=2999-01-01T00:00:00Z`, {
    cookie: t.users.dpo!.cookie,
  });
  assert.equal(future.body.items.length, 0);
  const badRange = await call(
    ctx.app,
    'GET',
    `/api/v1/audit/events?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`,
    { cookie: t.users.dpo!.cookie },
  );
  assert.equal(badRange.status, 400);
  assert.equal(badRange.body.error.details[0].path, 'query.to');
  for (const who of ['cm', 'admin'] as const) {
    const denied = await call(ctx.app, 'GET', '/api/v1/audit/events', { cookie: t.users[who]!.cookie });
    assert.equal(denied.status, 403, who);
  }
  // The DPO never sees another tenant's events.
  const other = await makeTenant(ctx.services, { dpo: { roles: ['dpo'] } });
  const cross = await call(ctx.app, 'GET', `/api/v1/audit/events?entityId=${p.body.id}`, {
    cookie: other.users.dpo!.cookie,
  });
  assert.equal(cross.body.items.length, 0);
});

test('exported heads are signed statements with public keys', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' }, dpo: { roles: ['dpo'] } });
  await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
  });
  const r = await call(ctx.app, 'GET', '/api/v1/audit/heads', { cookie: t.users.dpo!.cookie });
  assert.equal(r.status, 200);
  assert.equal(r.body.statements.length, 1);
  assert.ok(r.body.publicKeys.length >= 1);
  const { claims, invalid } = await claimsFrom(ctx.services, r.body.statements);
  assert.ok(claims.length >= 1);
  assert.deepEqual(invalid, []);
  assert.equal((await verifyAudit(ctx.services.db, { tenantId: t.tenantId, claims })).ok, true);
});
