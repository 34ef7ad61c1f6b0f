/**
 * Audit anchors outside the database: a consistent rewrite or a deleted tail with a rewound head passes
 * the chain walk, but not the comparison with the signed anchors, which names the first bad event.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { CompactSign } from 'jose';
import { AuditLog } from '../src/server/audit/log.ts';
import { verifyAudit } from '../src/server/audit/verify.ts';
import { claimsFrom, HEADS_TYP, signHeads } from '../src/server/audit/heads.ts';
import { chainedFromRow, eventHash, type AuditEventRow } from '../src/server/audit/chain.ts';
import { anchorTenant } from '../src/server/audit/anchors.ts';
import { anchorSource } from '../src/server/audit/anchor-read.ts';
import { ANCHOR_TYP, anchorFile, type AnchorPayload } from '../src/server/audit/anchor-record.ts';
import { maintenanceTicker, runMaintenance } from '../src/server/jobs.ts';
import { setLogLevel } from '../src/server/log.ts';
import type { Services } from '../src/server/services.ts';
import { call, closeShared, makeTenant, shared$, testConfig } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-anchors-test-'));
/** The attacker's connection: the schema owner, who may switch the append-only triggers off. */
let owner: pg.Client;

before(async () => {
  ctx = await shared$();
  ctx.services.config.auditAnchorDir = dir;
  owner = new pg.Client({ connectionString: process.env.SANAD_TEST_OWNER_URL ?? process.env.SANAD_TEST_DB_URL });
  await owner.connect();
});
after(async () => {
  await owner?.end();
  await closeShared();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs statements with the audit triggers off, in one transaction, as an attacker with owner access would. */
async function tamper(statements: [string, unknown[]][]) {
  await owner.query('begin');
  try {
    for (const t of ['audit_events', 'audit_chains', 'audit_heads'])
      await owner.query(`alter table ${t} disable trigger user`);
    for (const [q, params] of statements) await owner.query(q, params);
    for (const t of ['audit_events', 'audit_chains', 'audit_heads'])
      await owner.query(`alter table ${t} enable trigger user`);
    await owner.query('commit');
  } catch (e) {
    await owner.query('rollback');
    throw e;
  }
}

type EventRow = AuditEventRow;

async function chainEvents(tenantId: string, chainNo: number): Promise<EventRow[]> {
  return (
    await owner.query<EventRow>('select * from audit_events where tenant_id = $1 and chain_no = $2 order by seq', [
      tenantId,
      chainNo,
    ])
  ).rows;
}

/** Appends n events in one transaction: they land on one chain, as consecutive links. */
async function oneChain(tenantId: string, n: number, tag = 'x'): Promise<EventRow[]> {
  const ids: string[] = [];
  await ctx.services.db.transaction().execute(async (tx) => {
    const log = new AuditLog(tx, { tenantId, actorId: null, requestId: `a-${tag}` });
    for (let i = 0; i < n; i++)
      ids.push(
        await log.append({
          action: 'test.anchor',
          entityType: 'thing',
          entityId: `${tag}${i}`,
          details: { i, note: 'ünïcödé ✓' },
        }),
      );
  });
  const first = (await owner.query<{ chain_no: number }>('select chain_no from audit_events where id = $1', [ids[0]]))
    .rows[0]!;
  return (await chainEvents(tenantId, first.chain_no)).filter((e) => ids.includes(e.id));
}

function lines(tenantId: string): string[] {
  return fs.readFileSync(anchorFile(dir, tenantId), 'utf8').split('\n').filter(Boolean);
}

function payloadOf(line: string): AnchorPayload {
  const jws = (JSON.parse(line) as { jws: string }).jws;
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as AnchorPayload;
}

function verifyWithAnchors(tenantId: string, anchors = dir) {
  return verifyAudit(ctx.services.db, { tenantId, anchors: anchorSource(ctx.services, anchors) });
}

function cli(args: string[]) {
  const root = path.resolve(import.meta.dirname, '..');
  const cfg = testConfig();
  return spawnSync(process.execPath, [path.join(root, 'bin/sanad.js'), ...args], {
    env: {
      ...process.env,
      DATABASE_URL: cfg.databaseUrl,
      SANAD_MASTER_KEY_FILE: cfg.masterKeyFile,
      SANAD_AUDIT_ANCHOR_DIR: dir,
      LOG_LEVEL: 'error',
    },
    encoding: 'utf8',
  });
}

test('with no tampering, verify against the anchors is clean (library, API and CLI)', async () => {
  const t = await makeTenant(ctx.services, { dpo: { roles: ['dpo'] } });
  // Events on several chains (parallel transactions take different chains).
  await Promise.all(Array.from({ length: 6 }, (_, i) => oneChain(t.tenantId, 3, `p${i}`)));
  const first = await anchorTenant(ctx.services, t.tenantId);
  assert.equal(first.events, 18);
  assert.equal(first.records, 1);
  // Events after the last anchor are normal: they are checked by the walk, not yet anchored.
  await oneChain(t.tenantId, 2, 'tail');
  const r = await verifyWithAnchors(t.tenantId);
  assert.equal(r.ok, true, JSON.stringify(r.problems));
  assert.equal(r.checked, 20);
  assert.equal(r.anchors.records, 1);
  assert.equal(r.anchors.comparedEvents, 18);
  const api = await call(ctx.app, 'GET', '/api/v1/audit/verify', { cookie: t.users.dpo!.cookie });
  assert.equal(api.status, 200);
  assert.equal(api.body.ok, true);
  assert.equal(api.body.anchors.records, 1);
  const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
  assert.equal(out.status, 0, out.stderr + out.stdout);
  assert.match(out.stdout, /intact: 2\d events verified/);
  assert.match(out.stdout, /events matched 1 signed anchor records/);
});

test('anchoring is incremental: only events after the last anchor are read, records follow each other, big catch-ups are split', async () => {
  const t = await makeTenant(ctx.services, {});
  const a = await oneChain(t.tenantId, 5, 'a');
  const chainA = a[0]!.chain_no;
  const r1 = await anchorTenant(ctx.services, t.tenantId);
  assert.deepEqual([r1.records, r1.events], [1, 5]);
  const size1 = fs.statSync(anchorFile(dir, t.tenantId)).size;
  // Nothing new: nothing read, nothing written.
  const r2 = await anchorTenant(ctx.services, t.tenantId);
  assert.deepEqual([r2.records, r2.events], [0, 0]);
  assert.equal(fs.statSync(anchorFile(dir, t.tenantId)).size, size1);
  // Three new events: exactly those are anchored, continuing where the last record ended.
  const b = await oneChain(t.tenantId, 3, 'b');
  const r3 = await anchorTenant(ctx.services, t.tenantId);
  assert.deepEqual([r3.records, r3.events], [1, 3]);
  const [l1, l2] = lines(t.tenantId);
  const p1 = payloadOf(l1!);
  const p2 = payloadOf(l2!);
  assert.equal(p1.prev, null);
  assert.equal(p2.prev, crypto.createHash('sha256').update(l1!).digest('hex'), 'each record names the line before it');
  assert.deepEqual(
    p1.chains.map((c) => [c.chainNo, c.from, c.seq]),
    [[chainA, '1', '5']],
  );
  assert.deepEqual(p1.heads, [[chainA, '5', a[4]!.hash.subarray(0, 16).toString('base64url')]]);
  const entry = p2.chains[0]!;
  assert.equal(p2.chains.length, 1);
  assert.equal(entry.chainNo, b[0]!.chain_no);
  assert.equal(entry.from, b[0]!.seq, 'starts right after the anchored head');
  assert.equal(Buffer.from(entry.hashes, 'base64url').length, 3 * 16, 'three truncated hashes');
  // Every record also states where every anchored chain stands, so the next run reads only the last line.
  assert.deepEqual(p2.heads.map((h) => h[0]).sort(), [...new Set([chainA, entry.chainNo])].sort());
  assert.deepEqual(p2.heads.find((h) => h[0] === entry.chainNo)!.slice(1), [
    b[2]!.seq,
    b[2]!.hash.subarray(0, 16).toString('base64url'),
  ]);
  // A catch-up bigger than a record is split into bounded records that verify as a whole.
  await oneChain(t.tenantId, 10, 'c');
  const r4 = await anchorTenant(ctx.services, t.tenantId, { maxEventsPerRecord: 4 });
  assert.deepEqual([r4.records, r4.events], [3, 10]);
  const all = lines(t.tenantId).map(payloadOf);
  assert.equal(all.length, 5);
  for (const p of all.slice(2)) assert.ok(p.chains.reduce((n, c) => n + Number(c.seq) - Number(c.from) + 1, 0) <= 4);
  const v = await verifyWithAnchors(t.tenantId);
  assert.equal(v.ok, true, JSON.stringify(v.problems));
  assert.equal(v.anchors.comparedEvents, 18);
});

test('a deleted tail with its head rewound passes the walk but is named by the first missing anchored event', async () => {
  const t = await makeTenant(ctx.services, { dpo: { roles: ['dpo'] } });
  const evs = await oneChain(t.tenantId, 6, 'tail');
  const chainNo = evs[0]!.chain_no;
  // The tenant's own set-up may have written earlier links on this chain: name the cut by our events' seqs.
  const cut = evs[3]!.seq;
  await anchorTenant(ctx.services, t.tenantId);
  await signHeads(ctx.services, t.tenantId);
  // Delete events 4..6, rewind the head to event 3 and delete the stored signed heads.
  await tamper([
    ['delete from audit_events where tenant_id = $1 and chain_no = $2 and seq >= $3', [t.tenantId, chainNo, cut]],
    [
      'update audit_chains set seq = $4, head_hash = $3 where tenant_id = $1 and chain_no = $2',
      [t.tenantId, chainNo, evs[2]!.hash, evs[2]!.seq],
    ],
    ['delete from audit_heads where tenant_id = $1', [t.tenantId]],
  ]);
  assert.equal(
    (await verifyAudit(ctx.services.db, { tenantId: t.tenantId })).ok,
    true,
    'the cut is consistent: the walk alone passes',
  );
  const r = await verifyWithAnchors(t.tenantId);
  assert.equal(r.ok, false);
  assert.deepEqual(
    { ...r.firstBad, detail: undefined },
    { id: null, tenantId: t.tenantId, chainNo, seq: cut, reason: 'anchor_missing_event', detail: undefined },
  );
  // Anchoring again does not paper over it: the chain is behind its anchor, nothing is written.
  assert.equal((await anchorTenant(ctx.services, t.tenantId)).records, 0);
  assert.equal((await verifyWithAnchors(t.tenantId)).firstBad?.seq, cut);
  const api = await call(ctx.app, 'GET', '/api/v1/audit/verify', { cookie: t.users.dpo!.cookie });
  assert.equal(api.body.ok, false);
  assert.equal(api.body.firstBad.reason, 'anchor_missing_event');
  assert.equal(api.body.firstBad.chainNo, chainNo);
  assert.equal(api.body.firstBad.seq, cut);
  const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
  assert.equal(out.status, 2, out.stderr + out.stdout);
  assert.match(
    out.stdout,
    new RegExp(`BROKEN at event \\(none\\) — tenant ${t.tenantId}, chain ${chainNo}, seq ${cut}: anchor_missing_event`),
  );
});

test('a chain rewritten consistently from event k, with the stored signed heads deleted and re-signed, is named at event k', async () => {
  const t = await makeTenant(ctx.services, {});
  const evs = await oneChain(t.tenantId, 6, 'rw');
  const chainNo = evs[0]!.chain_no;
  await anchorTenant(ctx.services, t.tenantId);
  // Rewrite event 3's content and recompute every hash from it on, then the head.
  const k = 2;
  let prev = evs[k]!.prev_hash;
  const statements: [string, unknown[]][] = [];
  for (const e of evs.slice(k)) {
    const action = e.seq === evs[k]!.seq ? 'test.rewritten' : e.action;
    const ev = { ...chainedFromRow(e), action };
    const hash = eventHash(prev, ev);
    statements.push([
      'update audit_events set action = $2, prev_hash = $3, hash = $4 where id = $1',
      [e.id, action, prev, hash],
    ]);
    prev = hash;
  }
  statements.push([
    'update audit_chains set head_hash = $3 where tenant_id = $1 and chain_no = $2',
    [t.tenantId, chainNo, prev],
  ]);
  statements.push(['delete from audit_heads where tenant_id = $1', [t.tenantId]]);
  await tamper(statements);
  // The attacker also has the app sign fresh heads of the rewritten chain: the stored heads agree.
  await signHeads(ctx.services, t.tenantId);
  const stored = await ctx.services.db
    .selectFrom('audit_heads')
    .select('jws')
    .where('tenant_id', '=', t.tenantId)
    .execute();
  const { claims } = await claimsFrom(
    ctx.services,
    stored.map((h) => h.jws),
  );
  assert.equal(
    (await verifyAudit(ctx.services.db, { tenantId: t.tenantId, claims })).ok,
    true,
    'the rewrite passes the walk and the stored heads',
  );
  const r = await verifyWithAnchors(t.tenantId);
  assert.equal(r.ok, false);
  assert.equal(r.firstBad?.reason, 'anchor_mismatch');
  assert.equal(r.firstBad?.id, evs[k]!.id, 'the first rewritten event is named, not the head');
  assert.equal(r.firstBad?.seq, evs[k]!.seq);
  assert.equal(r.firstBad?.chainNo, chainNo);
  // A later anchor does not hide it: the old record still holds the original hashes.
  assert.equal((await anchorTenant(ctx.services, t.tenantId)).records, 0);
  await oneChain(t.tenantId, 2, 'later');
  await anchorTenant(ctx.services, t.tenantId);
  assert.equal((await verifyWithAnchors(t.tenantId)).firstBad?.id, evs[k]!.id);
  const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
  assert.equal(out.status, 2, out.stderr + out.stdout);
  assert.match(
    out.stdout,
    new RegExp(
      `BROKEN at event ${evs[k]!.id} — tenant ${t.tenantId}, chain ${chainNo}, seq ${evs[k]!.seq}: anchor_mismatch`,
    ),
  );
});

test('a tampered, forged or removed anchor record is reported (anchor_signature_invalid, anchor_file_broken)', async () => {
  const t = await makeTenant(ctx.services, {});
  await oneChain(t.tenantId, 4, 'c1');
  await anchorTenant(ctx.services, t.tenantId);
  await oneChain(t.tenantId, 4, 'c2');
  await anchorTenant(ctx.services, t.tenantId);
  const file = anchorFile(dir, t.tenantId);
  const original = fs.readFileSync(file, 'utf8');
  const [l1, l2] = lines(t.tenantId);
  assert.equal((await verifyWithAnchors(t.tenantId)).ok, true);
  try {
    // 1. One anchored hash changed in the payload, header and signature kept.
    const [h, , sig] = (JSON.parse(l1!) as { jws: string }).jws.split('.');
    const p = payloadOf(l1!);
    const hashes = Buffer.from(p.chains[0]!.hashes, 'base64url');
    hashes[0]! ^= 1;
    const changed = { ...p, chains: [{ ...p.chains[0]!, hashes: hashes.toString('base64url') }, ...p.chains.slice(1)] };
    fs.writeFileSync(
      file,
      `${JSON.stringify({ jws: `${h}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${sig}` })}\n${l2}\n`,
    );
    let r = await verifyWithAnchors(t.tenantId);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.reason, 'anchor_signature_invalid');
    assert.equal(r.firstBad?.line, 1);
    assert.ok(
      r.problems.some((b) => b.reason === 'anchor_file_broken' && b.line === 2),
      'the next record no longer follows',
    );
    const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
    assert.equal(out.status, 2, out.stderr + out.stdout);
    assert.match(out.stdout, /line 1 — tenant .*: anchor_signature_invalid/);

    // 2. A record forged with another key under the deployment's key id.
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const kid = (JSON.parse(Buffer.from(h!, 'base64url').toString()) as { kid: string }).kid;
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(changed)))
      .setProtectedHeader({ alg: 'EdDSA', kid, typ: ANCHOR_TYP })
      .sign(privateKey);
    fs.writeFileSync(file, `${original}${JSON.stringify({ jws: forged })}\n`);
    r = await verifyWithAnchors(t.tenantId);
    assert.deepEqual(
      r.problems.map((b) => [b.reason, b.line]),
      [['anchor_signature_invalid', 3]],
    );

    // 3. The first record removed: the second no longer follows anything.
    fs.writeFileSync(file, `${l2}\n`);
    r = await verifyWithAnchors(t.tenantId);
    assert.deepEqual(
      r.problems.map((b) => [b.reason, b.line]),
      [['anchor_file_broken', 1]],
    );

    // 4. A last line with no newline yet: a record being written while verify reads (or cut short by a
    // crash). Ignored and counted in the summary, not reported as broken; the next anchoring run removes it.
    for (const partial of [l2!.slice(0, 40), l2!]) {
      fs.writeFileSync(file, `${l1}\n${partial}`);
      r = await verifyWithAnchors(t.tenantId);
      assert.equal(r.ok, true, JSON.stringify(r.problems));
      assert.equal(r.anchors.incompleteLines, 1);
      assert.equal(r.anchors.records, 1, 'the complete record before it is still read');
    }
    const midWrite = cli(['audit', 'verify', '--tenant', t.tenantId]);
    assert.equal(midWrite.status, 0, midWrite.stderr + midWrite.stdout);
    assert.match(midWrite.stdout, /ignored an incomplete last line in 1 anchor file/);
    fs.writeFileSync(file, `${original}${l2!.slice(0, 40)}`);
    assert.equal((await verifyWithAnchors(t.tenantId)).ok, true);
    await oneChain(t.tenantId, 1, 'c3');
    assert.equal((await anchorTenant(ctx.services, t.tenantId)).records, 1);
    r = await verifyWithAnchors(t.tenantId);
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    assert.equal(r.anchors.incompleteLines, 0);
  } finally {
    fs.writeFileSync(file, original);
  }
});

test('the maintenance job appends anchors to a private directory (0700, files 0600); `sanad audit anchor` does it on demand', async () => {
  const t = await makeTenant(ctx.services, {});
  await oneChain(t.tenantId, 3, 'job');
  const jobDir = path.join(dir, 'job', 'anchors');
  ctx.services.config.auditAnchorDir = jobDir;
  try {
    assert.equal(await runMaintenance(ctx.services), true);
  } finally {
    ctx.services.config.auditAnchorDir = dir;
  }
  const file = anchorFile(jobDir, t.tenantId);
  assert.equal(fs.statSync(jobDir).mode & 0o777, 0o700);
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.equal((await verifyWithAnchors(t.tenantId, jobDir)).anchors.comparedEvents, 3);

  await oneChain(t.tenantId, 2, 'cli');
  const out = cli(['audit', 'anchor', '--tenant', t.tenantId]);
  assert.equal(out.status, 0, out.stderr + out.stdout);
  assert.match(out.stdout, /5 new events anchored in 1 records/);
  const p = payloadOf(lines(t.tenantId)[0]!);
  assert.equal(
    p.chains.reduce((n, c) => n + Number(c.seq) - Number(c.from) + 1, 0),
    5,
  );
});

type LogLine = { level: string; msg: string } & Record<string, unknown>;

/** Runs fn and returns the log lines it wrote (warn and above; stderr is held back meanwhile). */
async function captureLog<T>(fn: () => Promise<T>): Promise<{ value: T; logs: LogLine[] }> {
  const write = process.stderr.write.bind(process.stderr);
  const lines: string[] = [];
  setLogLevel('warn');
  process.stderr.write = (chunk: unknown) => {
    lines.push(String(chunk));
    return true;
  };
  try {
    const value = await fn();
    const logs = lines
      .flatMap((l) => l.split('\n'))
      .flatMap((l) => {
        try {
          return [JSON.parse(l) as LogLine];
        } catch {
          return [];
        }
      });
    return { value, logs };
  } finally {
    process.stderr.write = write;
    setLogLevel((process.env.LOG_LEVEL ?? 'info') as Parameters<typeof setLogLevel>[0]);
  }
}

test('a statement in audit_heads that does not verify (the app role may insert one, nobody may delete it) switches off neither anchoring nor signing; verify reports it as signed_head_invalid', async () => {
  const a = await makeTenant(ctx.services, {});
  const b = await makeTenant(ctx.services, {});
  await oneChain(a.tenantId, 3, 'ga');
  await oneChain(b.tenantId, 2, 'gb');
  await signHeads(ctx.services, a.tenantId);
  await oneChain(a.tenantId, 1, 'ga2');
  // As the app role, with the credentials every app node holds.
  await ctx.services.db.insertInto('audit_heads').values({ tenant_id: a.tenantId, jws: 'not.a.jws' }).execute();
  const jobDir = path.join(dir, 'garbage-head');
  ctx.services.config.auditAnchorDir = jobDir;
  let logs: LogLine[];
  try {
    const run = await captureLog(() => runMaintenance(ctx.services));
    assert.equal(run.value, true);
    logs = run.logs;
  } finally {
    ctx.services.config.auditAnchorDir = dir;
  }
  // Both tenants were anchored.
  assert.equal((await verifyWithAnchors(a.tenantId, jobDir)).anchors.comparedEvents, 4);
  assert.equal((await verifyWithAnchors(b.tenantId, jobDir)).anchors.comparedEvents, 2);
  // The bad row was logged and a fresh genuine statement signed after it.
  assert.ok(
    logs.some((l) => l.level === 'warn' && l.tenantId === a.tenantId && /does not verify/.test(l.msg)),
    JSON.stringify(logs),
  );
  const stored = await ctx.services.db
    .selectFrom('audit_heads')
    .select(['id', 'tenant_id', 'jws'])
    .where('tenant_id', '=', a.tenantId)
    .orderBy('id')
    .execute();
  assert.equal(stored.length, 3);
  assert.notEqual(stored[2]!.jws, 'not.a.jws');
  // The next run trusts the fresh statement again: nothing moved, nothing signed.
  ctx.services.config.auditAnchorDir = jobDir;
  try {
    await runMaintenance(ctx.services);
  } finally {
    ctx.services.config.auditAnchorDir = dir;
  }
  assert.equal(
    (await ctx.services.db.selectFrom('audit_heads').select('id').where('tenant_id', '=', a.tenantId).execute()).length,
    3,
  );
  // Verify skips the bad statement, checks the others and reports it: never a crash.
  const heads = await claimsFrom(
    ctx.services,
    stored.map((h) => ({ jws: h.jws, source: `audit_heads row ${h.id}`, tenantId: h.tenant_id })),
  );
  assert.deepEqual(
    heads.invalid.map((p) => [p.reason, p.tenantId, p.statement]),
    [['signed_head_invalid', a.tenantId, `audit_heads row ${stored[1]!.id}`]],
  );
  assert.ok(heads.claims.length >= 2);
  const r = await verifyAudit(ctx.services.db, {
    tenantId: a.tenantId,
    claims: heads.claims,
    badStatements: heads.invalid,
    anchors: anchorSource(ctx.services, jobDir),
  });
  assert.deepEqual(
    r.problems.map((p) => p.reason),
    ['signed_head_invalid'],
  );
  const out = cli(['audit', 'verify', '--tenant', a.tenantId, '--anchors', jobDir]);
  assert.equal(out.status, 2, out.stderr + out.stdout);
  assert.match(
    out.stdout,
    new RegExp(
      `BROKEN at signed heads statement audit_heads row ${stored[1]!.id} — tenant ${a.tenantId}: signed_head_invalid`,
    ),
  );
  assert.match(out.stdout, /\(4 events checked; 4 events matched 1 signed anchor records/);
});

test('anchoring runs when signing heads fails for every tenant, and a tenant that cannot be anchored does not stop the others', async () => {
  const c = await makeTenant(ctx.services, {});
  const d = await makeTenant(ctx.services, {});
  await oneChain(c.tenantId, 2, 'sc');
  await oneChain(d.tenantId, 3, 'sd');
  const jobDir = path.join(dir, 'independent');
  fs.mkdirSync(jobDir, { mode: 0o700 });
  // Tenant c's anchor file is a symbolic link: refused, so c fails and d must still be anchored.
  const target = path.join(dir, 'independent-target.txt');
  fs.writeFileSync(target, 'untouched\n');
  fs.symlinkSync(target, anchorFile(jobDir, c.tenantId));
  const signer = ctx.services.signer;
  const failing = new Proxy(signer, {
    get(t, prop) {
      if (prop === 'sign')
        return (payload: unknown, typ: string, db: Parameters<typeof t.sign>[2]) =>
          typ === HEADS_TYP ? Promise.reject(new Error('signing heads broken for the test')) : t.sign(payload, typ, db);
      const v = Reflect.get(t, prop, t) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  const s: Services = { ...ctx.services, signer: failing, config: { ...ctx.services.config, auditAnchorDir: jobDir } };
  const run = await captureLog(() => runMaintenance(s));
  assert.equal(run.value, true);
  assert.ok(
    run.logs.some((l) => l.level === 'error' && /signing audit chain heads failed/.test(l.msg)),
    JSON.stringify(run.logs),
  );
  assert.ok(
    run.logs.some(
      (l) =>
        l.level === 'error' &&
        l.tenantId === c.tenantId &&
        /anchoring failed/.test(l.msg) &&
        /symbolic link/.test(String(l.errMessage)),
    ),
  );
  assert.equal((await verifyWithAnchors(d.tenantId, jobDir)).anchors.comparedEvents, 3);
  assert.equal(fs.readFileSync(target, 'utf8'), 'untouched\n', 'the link was not followed');
});

test('maintenance starved by a session holding its lock is logged from the third skipped run on, naming the holder', async () => {
  // Any login may take the lock, the app role's included.
  const holder = new pg.Client({ connectionString: testConfig().databaseUrl });
  await holder.connect();
  const pid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
  await holder.query('select pg_advisory_lock($1)', [0x5a4ad]);
  const tick = maintenanceTicker(ctx.services);
  try {
    const early = await captureLog(async () => [await tick(), await tick()]);
    assert.deepEqual(early.value, [false, false]);
    assert.deepEqual(
      early.logs.filter((l) => /maintenance/.test(l.msg)),
      [],
      'one or two skips are normal (another node running)',
    );
    const third = await captureLog(() => tick());
    assert.equal(third.value, false);
    const warned = third.logs.find((l) => l.level === 'warn' && /has not run for several intervals/.test(l.msg));
    assert.ok(warned, JSON.stringify(third.logs));
    assert.equal(warned.skippedRuns, 3);
    assert.equal(warned.holderPid, pid);
    const fourth = await captureLog(() => tick());
    assert.equal(
      fourth.logs.find((l) => /has not run for several intervals/.test(l.msg))?.skippedRuns,
      4,
      'every further skip is logged',
    );
  } finally {
    await holder.query('select pg_advisory_unlock($1)', [0x5a4ad]);
    await holder.end();
  }
  // Free again: it runs and the count starts over.
  const quiet = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-anchors-starved-'));
  ctx.services.config.auditAnchorDir = quiet;
  try {
    assert.equal(await tick(), true);
    const again = await captureLog(() => runMaintenance(ctx.services).then(() => undefined));
    assert.deepEqual(
      again.logs.filter((l) => /several intervals/.test(l.msg)),
      [],
    );
  } finally {
    ctx.services.config.auditAnchorDir = dir;
    fs.rmSync(quiet, { recursive: true, force: true });
  }
});

test('events older than the allowed lag that no anchor covers are reported as anchor_stale; the anchor lag is in the summary (library, API, CLI)', async () => {
  const t = await makeTenant(ctx.services, { dpo: { roles: ['dpo'] } });
  const first = await oneChain(t.tenantId, 3, 's1');
  const staleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-anchors-stale-'));
  const verifyAt = (now?: Date, maxAnchorLagMs?: number) =>
    verifyAudit(ctx.services.db, {
      tenantId: t.tenantId,
      anchors: anchorSource(ctx.services, staleDir),
      now,
      maxAnchorLagMs,
    });
  const later = new Date(Date.now() + 20 * 60_000);
  try {
    // A brand-new deployment: no anchor file yet, only recent events. Nothing to report.
    let r = await verifyAt();
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    assert.equal(r.anchors.unanchoredEvents, 3);
    assert.ok(r.anchors.lagSeconds < 60);
    assert.equal(r.anchors.maxLagSeconds, 900);
    // Twenty minutes on, still no anchor file: stale, naming the oldest unanchored event.
    r = await verifyAt(later);
    assert.equal(r.ok, false);
    assert.deepEqual(
      r.problems.map((p) => [p.reason, p.id]),
      [['anchor_stale', first[0]!.id]],
    );
    assert.match(r.firstBad!.detail!, /no anchor records for this tenant; 3 events/);
    assert.ok(r.anchors.lagSeconds >= 20 * 60 - 5, String(r.anchors.lagSeconds));
    // Anchored: nothing is stale, whenever verify runs.
    await anchorTenant(ctx.services, t.tenantId, { dir: staleDir });
    r = await verifyAt(later);
    assert.equal(r.ok, true, JSON.stringify(r.problems));
    assert.deepEqual([r.anchors.unanchoredEvents, r.anchors.lagSeconds, r.anchors.oldestUnanchoredAt], [0, 0, null]);
    // Events after the last anchor: normal while recent, stale once older than the allowed lag.
    const second = await oneChain(t.tenantId, 2, 's2');
    assert.equal((await verifyAt()).ok, true);
    r = await verifyAt(later);
    assert.deepEqual(
      r.problems.map((p) => [p.reason, p.id, p.chainNo, p.seq]),
      [['anchor_stale', second[0]!.id, second[0]!.chain_no, second[0]!.seq]],
    );
    assert.match(r.firstBad!.detail!, /2 events are covered by no anchor record/);
    assert.equal((await verifyAt(later, 30 * 60_000)).ok, true, 'the threshold is a parameter');
    // The API reports the lag.
    ctx.services.config.auditAnchorDir = staleDir;
    try {
      const api = await call(ctx.app, 'GET', '/api/v1/audit/verify', { cookie: t.users.dpo!.cookie });
      assert.equal(api.status, 200);
      assert.equal(api.body.ok, true);
      assert.equal(api.body.anchors.unanchoredEvents, 3, 'the two and the audit.verify event of this request');
      assert.equal(typeof api.body.anchors.lagSeconds, 'number');
      assert.equal(api.body.anchors.maxLagSeconds, 900);
    } finally {
      ctx.services.config.auditAnchorDir = dir;
    }
    // The CLI: the lag in the summary, --max-anchor-lag in minutes.
    let out = cli(['audit', 'verify', '--tenant', t.tenantId, '--anchors', staleDir]);
    assert.equal(out.status, 0, out.stderr + out.stdout);
    assert.match(out.stdout, /anchor lag \d+ s \(3 events not anchored yet, the oldest from .*; allowed 900 s\)/);
    await new Promise((res) => setTimeout(res, 1500));
    out = cli(['audit', 'verify', '--tenant', t.tenantId, '--anchors', staleDir, '--max-anchor-lag', '0.01']);
    assert.equal(out.status, 2, out.stderr + out.stdout);
    assert.match(
      out.stdout,
      new RegExp(
        `NOT ANCHORED IN TIME: no change seen, but event ${second[0]!.id} — tenant ${t.tenantId}, chain \\d+, seq \\d+: anchor_stale`,
      ),
    );
    out = cli(['audit', 'verify', '--tenant', t.tenantId, '--max-anchor-lag', 'soon']);
    assert.notEqual(out.status, 0);
    assert.match(out.stderr, /positive number/);
  } finally {
    fs.rmSync(staleDir, { recursive: true, force: true });
  }
});

test('every anchoring run checks the modes of the directory and files (logged loudly) and never follows a symlinked anchor file', async () => {
  const t = await makeTenant(ctx.services, {});
  await oneChain(t.tenantId, 2, 'perm');
  const pdir = path.join(dir, 'perm');
  const file = anchorFile(pdir, t.tenantId);
  await anchorTenant(ctx.services, t.tenantId, { dir: pdir });
  const modeLogs = (logs: LogLine[]) => logs.filter((l) => /audit anchor (directory|files)/.test(l.msg));
  try {
    let run = await captureLog(() => anchorTenant(ctx.services, t.tenantId, { dir: pdir }));
    assert.deepEqual(modeLogs(run.logs), [], 'nothing to say about 0700 and 0600');
    // Opened up later: readable by others is a warning, writable an error; nothing is changed.
    fs.chmodSync(pdir, 0o755);
    fs.chmodSync(file, 0o644);
    run = await captureLog(() => anchorTenant(ctx.services, t.tenantId, { dir: pdir }));
    assert.deepEqual(
      modeLogs(run.logs).map((l) => [l.level, l.mode ?? l.files]),
      [
        ['warn', '0755'],
        ['warn', [`${t.tenantId}.jsonl 0644`]],
      ],
    );
    fs.chmodSync(pdir, 0o770);
    fs.chmodSync(file, 0o662);
    run = await captureLog(() => anchorTenant(ctx.services, t.tenantId, { dir: pdir }));
    assert.deepEqual(
      modeLogs(run.logs).map((l) => [l.level, l.mode ?? l.files]),
      [
        ['error', '0770'],
        ['error', [`${t.tenantId}.jsonl 0662`]],
      ],
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o662, 'reported, not changed');
  } finally {
    fs.chmodSync(pdir, 0o700);
    fs.chmodSync(file, 0o600);
  }
  // The anchor file replaced by a link to a file the attacker wants appended to (or cut).
  const target = path.join(dir, 'perm-target.txt');
  fs.writeFileSync(target, 'untouched');
  fs.renameSync(file, `${file}.moved`);
  fs.symlinkSync(target, file);
  await oneChain(t.tenantId, 1, 'perm2');
  const run = await captureLog(() =>
    assert.rejects(anchorTenant(ctx.services, t.tenantId, { dir: pdir }), /symbolic link; refusing/),
  );
  assert.equal(fs.readFileSync(target, 'utf8'), 'untouched', 'not repaired, not appended to');
  assert.ok(
    run.logs.some((l) => l.level === 'error' && /symbolic links or not regular files/.test(l.msg)),
    JSON.stringify(run.logs),
  );
});
