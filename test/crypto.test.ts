/** Field encryption: AAD binding, no plaintext at rest or in logs, master-key rotation without downtime. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { loadKeyring } from '../src/server/crypto/keyring.ts';
import { FieldCrypto } from '../src/server/crypto/envelope.ts';
import { Signer } from '../src/server/crypto/signing.ts';
import { call, closeShared, freshDatabase, makeTenant, shared$, ownerDb } from './helpers.ts';
import { connect } from '../src/server/db/connection.ts';
import { intake } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
before(async () => {
  ctx = await shared$();
});
after(closeShared);

test('a ciphertext moved to another row, field or tenant does not decrypt', async () => {
  const t = await makeTenant(ctx.services, {});
  const t2 = await makeTenant(ctx.services, {});
  const f = ctx.services.fields;
  const ref = { tenantId: t.tenantId, table: 'participants', field: 'notes', rowId: crypto.randomUUID() };
  const blob = await f.encrypt(ref, 'sensitive', ctx.services.db);
  assert.equal(await f.decrypt(ref, blob, ctx.services.db), 'sensitive');
  await assert.rejects(f.decrypt({ ...ref, rowId: crypto.randomUUID() }, blob, ctx.services.db), /decrypt/);
  await assert.rejects(f.decrypt({ ...ref, field: 'other' }, blob, ctx.services.db), /decrypt/);
  await assert.rejects(f.decrypt({ ...ref, table: 'users' }, blob, ctx.services.db), /decrypt/);
  await assert.rejects(f.decrypt({ ...ref, tenantId: t2.tenantId }, blob, ctx.services.db));
  const flipped = Buffer.from(blob);
  flipped[flipped.length - 1]! ^= 1;
  await assert.rejects(f.decrypt(ref, flipped, ctx.services.db), /decrypt/);
});

test('swapping two rows’ ciphertexts in the database makes both unreadable through the API', async () => {
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const a = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, notes: 'note A' }),
  });
  const b = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA, notes: 'note B' }),
  });
  await sql`update participants set notes = (select notes from participants where id = ${b.body.id}) where id = ${a.body.id}`.execute(
    ownerDb(),
  );
  const r = await call(ctx.app, 'GET', `/api/v1/participants/${a.body.id}`, { cookie: t.users.cm!.cookie });
  assert.equal(r.status, 500);
  assert.equal(r.body.error.code, 'INTERNAL');
  assert.ok(!r.text.includes('note B'));
});

test('a canary never appears in plaintext in the database or in the logs', async () => {
  const canary = `CANARY-${crypto.randomBytes(8).toString('hex')}`;
  const t = await makeTenant(ctx.services, { cm: { roles: ['case_manager'], team: 'a' } });
  const logged: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (orig as (...a: unknown[]) => boolean)(chunk, ...rest);
  };
  try {
    const p = await call(ctx.app, 'POST', '/api/v1/participants', {
      cookie: t.users.cm!.cookie,
      body: intake({ teamId: t.teamA, notes: canary }),
      headers: { 'idempotency-key': `canary-${crypto.randomBytes(6).toString('hex')}` },
    });
    assert.equal(p.status, 201);
    await call(ctx.app, 'PATCH', `/api/v1/participants/${p.body.id}`, {
      cookie: t.users.cm!.cookie,
      body: { notes: `${canary} v2` },
      headers: { 'if-match': '1' },
    });
    await call(ctx.app, 'PATCH', `/api/v1/participants/${p.body.id}`, {
      cookie: t.users.cm!.cookie,
      body: { notes: canary, bogus: canary },
      headers: { 'if-match': '2' },
    });
    const r = await call(ctx.app, 'GET', `/api/v1/participants/${p.body.id}`, { cookie: t.users.cm!.cookie });
    assert.equal(r.body.notes, `${canary} v2`);
  } finally {
    process.stderr.write = orig;
  }
  assert.ok(!logged.join('').includes(canary), 'canary in logs');
  for (const table of ['participants', 'audit_events', 'users', 'idempotency_keys']) {
    const rows = await sql<{ t: string }>`select t::text as t from ${sql.table(table)} t`.execute(ctx.services.db);
    assert.ok(!rows.rows.some((r) => r.t.includes(canary)), `canary in ${table}`);
    const hex = Buffer.from(canary).toString('hex');
    assert.ok(!rows.rows.some((r) => r.t.includes(hex)), `canary (hex) in ${table}`);
  }
});

test('rotating the master key re-wraps data keys; old and new processes keep decrypting', async () => {
  const fresh = await freshDatabase();
  let owner: ReturnType<typeof connect>['db'] | undefined;
  try {
    const s = fresh.services;
    const file = fresh.keyFile;
    const t = await makeTenant(s, {});
    // Two "nodes" sharing the key file; rotation re-wraps keys, which only the schema owner may change (as `sanad keys rotate` does).
    owner = connect(fresh.ownerUrl, 2).db;
    const nodeA = new FieldCrypto(owner, loadKeyring(file, { allowGenerate: false, env: {} }));
    const nodeB = new FieldCrypto(s.db, loadKeyring(file, { allowGenerate: false, env: {} }));
    const ref = { tenantId: t.tenantId, table: 'participants', field: 'notes', rowId: crypto.randomUUID() };
    const before = await nodeA.encrypt(ref, 'before rotation', s.db);
    const oldIds = new Set(
      (await s.db.selectFrom('tenant_keys').select('master_key_id').execute()).map((r) => r.master_key_id),
    );
    await new Signer(s.db, nodeA).sign({ x: 1 }, 'test', s.db);
    const rot = await nodeA.rotateMasterKey();
    assert.deepEqual(rot.retired, [], 'old master keys are kept by default (older backups need them)');
    assert.ok(!oldIds.has(rot.newKeyId));
    assert.ok(rot.rewrapped >= 2, `tenant data key and signing key re-wrapped: ${JSON.stringify(rot)}`);
    const wraps = await s.db.selectFrom('tenant_keys').select('master_key_id').distinct().execute();
    assert.deepEqual(
      wraps.map((w) => w.master_key_id),
      [rot.newKeyId],
    );
    // A running node still holding the old keyring keeps working too.
    // nodeB has the old keyring in memory and no cached data key: it re-reads the file and carries on.
    assert.equal(await nodeB.decrypt(ref, before, s.db), 'before rotation');
    const restarted = new FieldCrypto(s.db, loadKeyring(file, { allowGenerate: false, env: {} }));
    assert.equal(await restarted.decrypt(ref, before, s.db), 'before rotation');
    assert.equal(await restarted.decrypt(ref, await nodeA.encrypt(ref, 'after', s.db), s.db), 'after');
    await new Signer(s.db, restarted).sign({ x: 2 }, 'test', s.db);
    // A second rotation with retireOld removes every key nothing is wrapped with; the file stays 0600.
    const rot2 = await nodeA.rotateMasterKey({ retireOld: true });
    assert.equal(rot2.retired.length, 2);
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as { current: string; keys: Record<string, string> };
    assert.equal(kept.current, rot2.newKeyId);
    assert.deepEqual(Object.keys(kept.keys), [rot2.newKeyId]);
    assert.equal(
      await new FieldCrypto(s.db, loadKeyring(file, { allowGenerate: false, env: {} })).decrypt(ref, before, s.db),
      'before rotation',
    );
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    // New data-key versions: new writes use them, old ciphertexts stay readable.
    await restarted.rotateDataKeys();
    const v2 = await restarted.encrypt(ref, 'v2', s.db);
    assert.ok(v2.readUInt32BE(1) >= 2);
    assert.equal(await restarted.decrypt(ref, before, s.db), 'before rotation');
  } finally {
    await owner?.destroy();
    await fresh.drop();
  }
});

test('a generated master key file is 0600; a missing one outside dev mode is an error', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-mk-'));
  try {
    const file = path.join(dir, 'master.key');
    assert.throws(() => loadKeyring(file, { allowGenerate: false, env: {} }), /not found/);
    loadKeyring(file, { allowGenerate: true, env: {} });
    assert.equal(fs.statSync(file).mode & 0o777, 0o600);
    assert.throws(() => loadKeyring(file, { allowGenerate: false, env: { SANAD_MASTER_KEY: 'c2hvcnQ=' } }), /32 bytes/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
