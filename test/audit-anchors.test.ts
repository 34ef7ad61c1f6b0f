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
import { claimsFrom, signHeads } from '../src/server/audit/heads.ts';
import { eventHash, type ChainedEvent } from '../src/server/audit/chain.ts';
import { ANCHOR_TYP, anchorFile, anchorSource, anchorTenant, type AnchorPayload } from '../src/server/audit/anchors.ts';
import { runMaintenance } from '../src/server/jobs.ts';
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
    for (const t of ['audit_events', 'audit_chains', 'audit_heads']) await owner.query(`alter table ${t} disable trigger user`);
    for (const [q, params] of statements) await owner.query(q, params);
    for (const t of ['audit_events', 'audit_chains', 'audit_heads']) await owner.query(`alter table ${t} enable trigger user`);
    await owner.query('commit');
  } catch (e) {
    await owner.query('rollback');
    throw e;
  }
}

interface EventRow {
  id: string;
  tenant_id: string;
  chain_no: number;
  seq: string;
  prev_hash: Buffer;
  hash: Buffer;
  at: Date;
  actor_id: string | null;
  action: string;
  entity_type: string | null;
  entity_id: string | null;
  subject_id: string | null;
  purpose: string | null;
  outcome: 'ok' | 'denied' | 'error';
  request_id: string | null;
  details: Record<string, unknown>;
}

async function chainEvents(tenantId: string, chainNo: number): Promise<EventRow[]> {
  return (await owner.query<EventRow>('select * from audit_events where tenant_id = $1 and chain_no = $2 order by seq', [tenantId, chainNo])).rows;
}

/** Appends n events in one transaction: they land on one chain, as consecutive links. */
async function oneChain(tenantId: string, n: number, tag = 'x'): Promise<EventRow[]> {
  const ids: string[] = [];
  await ctx.services.db.transaction().execute(async (tx) => {
    const log = new AuditLog(tx, { tenantId, actorId: null, requestId: `a-${tag}` });
    for (let i = 0; i < n; i++) ids.push(await log.append({ action: 'test.anchor', entityType: 'thing', entityId: `${tag}${i}`, details: { i, note: 'ünïcödé ✓' } }));
  });
  const first = (await owner.query<{ chain_no: number }>('select chain_no from audit_events where id = $1', [ids[0]])).rows[0]!;
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
    env: { ...process.env, DATABASE_URL: cfg.databaseUrl, SANAD_MASTER_KEY_FILE: cfg.masterKeyFile, SANAD_AUDIT_ANCHOR_DIR: dir, LOG_LEVEL: 'error' },
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
  assert.deepEqual(p1.chains.map((c) => [c.chainNo, c.from, c.seq]), [[chainA, '1', '5']]);
  assert.deepEqual(p1.heads, [[chainA, '5', a[4]!.hash.subarray(0, 16).toString('base64url')]]);
  const entry = p2.chains[0]!;
  assert.equal(p2.chains.length, 1);
  assert.equal(entry.chainNo, b[0]!.chain_no);
  assert.equal(entry.from, b[0]!.seq, 'starts right after the anchored head');
  assert.equal(Buffer.from(entry.hashes, 'base64url').length, 3 * 16, 'three truncated hashes');
  // Every record also states where every anchored chain stands, so the next run reads only the last line.
  assert.deepEqual(p2.heads.map((h) => h[0]).sort(), [...new Set([chainA, entry.chainNo])].sort());
  assert.deepEqual(p2.heads.find((h) => h[0] === entry.chainNo)!.slice(1), [b[2]!.seq, b[2]!.hash.subarray(0, 16).toString('base64url')]);
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
  await anchorTenant(ctx.services, t.tenantId);
  await signHeads(ctx.services, t.tenantId);
  // Delete events 4..6, rewind the head to event 3 and delete the stored signed heads.
  await tamper([
    ['delete from audit_events where tenant_id = $1 and chain_no = $2 and seq >= 4', [t.tenantId, chainNo]],
    ['update audit_chains set seq = 3, head_hash = $3 where tenant_id = $1 and chain_no = $2', [t.tenantId, chainNo, evs[2]!.hash]],
    ['delete from audit_heads where tenant_id = $1', [t.tenantId]],
  ]);
  assert.equal((await verifyAudit(ctx.services.db, { tenantId: t.tenantId })).ok, true, 'the cut is consistent: the walk alone passes');
  const r = await verifyWithAnchors(t.tenantId);
  assert.equal(r.ok, false);
  assert.deepEqual({ ...r.firstBad, detail: undefined }, { id: null, tenantId: t.tenantId, chainNo, seq: '4', reason: 'anchor_missing_event', detail: undefined });
  // Anchoring again does not paper over it: the chain is behind its anchor, nothing is written.
  assert.equal((await anchorTenant(ctx.services, t.tenantId)).records, 0);
  assert.equal((await verifyWithAnchors(t.tenantId)).firstBad?.seq, '4');
  const api = await call(ctx.app, 'GET', '/api/v1/audit/verify', { cookie: t.users.dpo!.cookie });
  assert.equal(api.body.ok, false);
  assert.equal(api.body.firstBad.reason, 'anchor_missing_event');
  assert.equal(api.body.firstBad.chainNo, chainNo);
  assert.equal(api.body.firstBad.seq, '4');
  const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
  assert.equal(out.status, 2, out.stderr + out.stdout);
  assert.match(out.stdout, new RegExp(`BROKEN at event \\(none\\) — tenant ${t.tenantId}, chain ${chainNo}, seq 4: anchor_missing_event`));
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
    const ev: ChainedEvent = {
      id: e.id, tenantId: e.tenant_id, chainNo: e.chain_no, seq: e.seq, at: e.at.toISOString(), actorId: e.actor_id, action, entityType: e.entity_type,
      entityId: e.entity_id, subjectId: e.subject_id, purpose: e.purpose, outcome: e.outcome, requestId: e.request_id, details: e.details,
    };
    const hash = eventHash(prev, ev);
    statements.push(['update audit_events set action = $2, prev_hash = $3, hash = $4 where id = $1', [e.id, action, prev, hash]]);
    prev = hash;
  }
  statements.push(['update audit_chains set head_hash = $3 where tenant_id = $1 and chain_no = $2', [t.tenantId, chainNo, prev]]);
  statements.push(['delete from audit_heads where tenant_id = $1', [t.tenantId]]);
  await tamper(statements);
  // The attacker also has the app sign fresh heads of the rewritten chain: the stored heads agree.
  await signHeads(ctx.services, t.tenantId);
  const stored = await ctx.services.db.selectFrom('audit_heads').select('jws').where('tenant_id', '=', t.tenantId).execute();
  const claims = await claimsFrom(ctx.services, stored.map((h) => h.jws));
  assert.equal((await verifyAudit(ctx.services.db, { tenantId: t.tenantId, claims })).ok, true, 'the rewrite passes the walk and the stored heads');
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
  assert.match(out.stdout, new RegExp(`BROKEN at event ${evs[k]!.id} — tenant ${t.tenantId}, chain ${chainNo}, seq ${evs[k]!.seq}: anchor_mismatch`));
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
    fs.writeFileSync(file, `${JSON.stringify({ jws: `${h}.${Buffer.from(JSON.stringify(changed)).toString('base64url')}.${sig}` })}\n${l2}\n`);
    let r = await verifyWithAnchors(t.tenantId);
    assert.equal(r.ok, false);
    assert.equal(r.firstBad?.reason, 'anchor_signature_invalid');
    assert.equal(r.firstBad?.line, 1);
    assert.ok(r.problems.some((b) => b.reason === 'anchor_file_broken' && b.line === 2), 'the next record no longer follows');
    const out = cli(['audit', 'verify', '--tenant', t.tenantId]);
    assert.equal(out.status, 2, out.stderr + out.stdout);
    assert.match(out.stdout, /line 1 — tenant .*: anchor_signature_invalid/);

    // 2. A record forged with another key under the deployment's key id.
    const { privateKey } = crypto.generateKeyPairSync('ed25519');
    const kid = (JSON.parse(Buffer.from(h!, 'base64url').toString()) as { kid: string }).kid;
    const forged = await new CompactSign(new TextEncoder().encode(JSON.stringify(changed))).setProtectedHeader({ alg: 'EdDSA', kid, typ: ANCHOR_TYP }).sign(privateKey);
    fs.writeFileSync(file, `${original}${JSON.stringify({ jws: forged })}\n`);
    r = await verifyWithAnchors(t.tenantId);
    assert.deepEqual(r.problems.map((b) => [b.reason, b.line]), [['anchor_signature_invalid', 3]]);

    // 3. The first record removed: the second no longer follows anything.
    fs.writeFileSync(file, `${l2}\n`);
    r = await verifyWithAnchors(t.tenantId);
    assert.deepEqual(r.problems.map((b) => [b.reason, b.line]), [['anchor_file_broken', 1]]);

    // 4. A write cut short by a crash: reported, then removed by the next anchoring run.
    fs.writeFileSync(file, `${original}${l2!.slice(0, 40)}`);
    r = await verifyWithAnchors(t.tenantId);
    assert.equal(r.firstBad?.reason, 'anchor_signature_invalid');
    assert.match(r.firstBad?.detail ?? '', /incomplete last line/);
    await oneChain(t.tenantId, 1, 'c3');
    assert.equal((await anchorTenant(ctx.services, t.tenantId)).records, 1);
    assert.equal((await verifyWithAnchors(t.tenantId)).ok, true);
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
  assert.equal(p.chains.reduce((n, c) => n + Number(c.seq) - Number(c.from) + 1, 0), 5);
});
