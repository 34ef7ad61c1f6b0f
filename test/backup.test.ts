/** Encrypted backup and restore: round trip into a new database, no plaintext, all-or-nothing failures. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import pg from 'pg';
import { sql } from 'kysely';
import { shared$, closeShared, makeTenant, ownerDb, testConfig } from './helpers.ts';
import { createServices, type Services } from '../src/server/services.ts';
import { backupToFile } from '../src/server/ops/backup.ts';
import { restoreFromFile } from '../src/server/ops/restore.ts';
import { verifyAudit } from '../src/server/audit/verify.ts';
import { AuditLog } from '../src/server/audit/log.ts';
import { signHeads } from '../src/server/audit/heads.ts';

const PASS = 'test backup passphrase 1234';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-backup-test-'));
const created: string[] = [];

let s: Services;
/** The run's database as its owner, as `sanad backup` connects (the app role cannot see case rows in bulk). */
let ownerServices: Services;
let tenantId: string;
let email: string;
const notes = new Map<string, string>();
const canary = `CANARY-${crypto.randomBytes(8).toString('hex')}`;
let canaryId: string;
let archive: string;
let progressCalls: [number, number][] = [];

function adminUrl(): string {
  return process.env.SANAD_TEST_OWNER_URL!;
}

/** Creates an empty database on the test server and services for it (no schema yet). */
async function newDatabase(masterKeyFile?: string): Promise<{ url: string; services: Services; name: string }> {
  const name = `sanad_restore_${crypto.randomBytes(5).toString('hex')}`;
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  created.push(name);
  const u = new URL(adminUrl());
  u.pathname = `/${name}`;
  const services = await createServices(
    {
      ...testConfig(),
      databaseUrl: u.toString(),
      databaseOwnerUrl: undefined,
      ...(masterKeyFile ? { masterKeyFile } : {}),
    },
    { migrate: false, quiet: true, poolSize: 3, asOwner: true },
  );
  return { url: u.toString(), services, name };
}

/** Rows held by all public tables of a database (0 when it has no tables at all). */
async function totalRows(t: Services): Promise<number> {
  const tables = (
    await t.database.pool.query<{ t: string }>(`select tablename as t from pg_tables where schemaname = 'public'`)
  ).rows;
  let n = 0;
  for (const { t: name } of tables)
    n += Number((await t.database.pool.query<{ n: string }>(`select count(*) as n from "${name}"`)).rows[0]!.n);
  return n;
}

/** The plaintext header of an archive (readable without the passphrase). */
function headerOf(file: string): { tables: { name: string; rows: number }[]; migrations: string[] } {
  const b = fs.readFileSync(file);
  assert.equal(b.subarray(0, 8).toString('ascii'), 'SANADBK1');
  return JSON.parse(b.subarray(12, 12 + b.readUInt32BE(8)).toString('utf8'));
}

async function insertParticipant(teamId: string, userId: string, code: string, note: string): Promise<string> {
  const id = crypto.randomUUID();
  const enc = await s.fields.encrypt({ tenantId, table: 'participants', field: 'notes', rowId: id }, note, s.db);
  await ownerDb()
    .insertInto('participants')
    .values({ id, tenant_id: tenantId, code, team_id: teamId, notes: enc, created_by: userId })
    .execute();
  return id;
}

before(async () => {
  s = (await shared$()).services;
  const t = await makeTenant(s, { cm: { roles: ['case_manager'], team: 'a' } });
  tenantId = t.tenantId;
  email = t.users.cm!.email;
  const cm = t.users.cm!.id;
  for (let i = 0; i < 5; i++) {
    const note = `Session note ${i}: ملاحظة — ${crypto.randomBytes(4).toString('hex')}`;
    notes.set(
      await insertParticipant(t.teamA, cm, `BK-${crypto.randomBytes(3).toString('hex').toUpperCase()}`, note),
      note,
    );
  }
  // Incompressible bulk so the archive spans several 64 KiB chunks.
  for (let i = 0; i < 24; i++)
    await insertParticipant(
      t.teamA,
      cm,
      `BULK-${i}-${crypto.randomBytes(3).toString('hex').toUpperCase()}`,
      crypto.randomBytes(6000).toString('base64'),
    );
  canaryId = await insertParticipant(t.teamA, cm, `CN-${crypto.randomBytes(3).toString('hex').toUpperCase()}`, canary);
  await s.db.transaction().execute(async (tx) => {
    const a = new AuditLog(tx, { tenantId, actorId: cm, requestId: 'backup-test' });
    for (const id of notes.keys())
      await a.append({ action: 'participant.create', entityType: 'participant', entityId: id });
  });
  await signHeads(s, tenantId);
  archive = path.join(tmp, 'snapshot.sbk');
  progressCalls = [];
  ownerServices = await createServices(
    { ...testConfig(), databaseUrl: process.env.SANAD_TEST_OWNER_URL, databaseOwnerUrl: undefined },
    { asOwner: true, migrate: false, quiet: true, poolSize: 2 },
  );
  await backupToFile(ownerServices, archive, { passphrase: PASS, onProgress: (d, n) => progressCalls.push([d, n]) });
});

after(async () => {
  await ownerServices?.close();
  const c = new pg.Client({ connectionString: adminUrl() });
  await c.connect();
  for (const name of created) await c.query(`drop database if exists ${name} with (force)`);
  await c.end();
  fs.rmSync(tmp, { recursive: true, force: true });
  await closeShared();
});

test('backup writes a 0600 archive atomically and reports progress', () => {
  assert.equal(fs.statSync(archive).mode & 0o777, 0o600);
  assert.equal(fs.existsSync(`${archive}.partial`), false);
  assert.ok(progressCalls.length >= 2, 'progress reported');
  const [done, total] = progressCalls.at(-1)!;
  assert.equal(done, total);
  const h = headerOf(archive);
  assert.equal(
    total,
    h.tables.reduce((a, t) => a + t.rows, 0),
  );
  assert.ok(h.tables.some((t) => t.name === 'sanad_migrations'));
  assert.ok(!h.tables.some((t) => t.name === 'sanad_migration_lock'));
  const names = h.tables.map((t) => t.name);
  assert.equal(names[0], 'tenants');
  assert.ok(
    names.indexOf('users') < names.indexOf('participants') && names.indexOf('teams') < names.indexOf('team_members'),
    names.join(),
  );
});

test('the archive and the database hold no plaintext of encrypted fields; the archive none of any data', async () => {
  const bytes = fs.readFileSync(archive);
  assert.equal(bytes.includes(Buffer.from(canary, 'utf8')), false);
  assert.equal(bytes.includes(Buffer.from(canary, 'utf16le')), false);
  // Plain (unencrypted) columns are inside the encrypted payload too: not even a gzip reader finds them.
  const slug = email.split('@')[0]!.split('.')[1]!;
  assert.equal(bytes.includes(Buffer.from(slug, 'utf8')), false);
  const payload = bytes.subarray(12 + bytes.readUInt32BE(8) + 32);
  const inflated = await new Promise<Buffer>((resolve) => {
    const parts: Buffer[] = [];
    const z = zlib.createGunzip();
    z.on('data', (d: Buffer) => parts.push(d));
    z.on('error', () => resolve(Buffer.concat(parts)));
    z.on('end', () => resolve(Buffer.concat(parts)));
    z.end(payload);
  });
  assert.equal(inflated.includes(Buffer.from(slug, 'utf8')), false, 'the payload is readable without the passphrase');
  const rows = (await sql<{ t: string }>`select p::text as t from participants p`.execute(ownerDb())).rows;
  assert.ok(rows.length > 0);
  // bytea prints as hex, so look for the canary's hex too (UTF-8 and UTF-16LE).
  for (const needle of [
    canary,
    Buffer.from(canary, 'utf8').toString('hex'),
    Buffer.from(canary, 'utf16le').toString('hex'),
  ]) {
    assert.equal(
      rows.some((r) => r.t.toLowerCase().includes(needle.toLowerCase())),
      false,
      `database holds ${needle}`,
    );
  }
  // The canary is really there, encrypted.
  const row = await ownerDb()
    .selectFrom('participants')
    .select('notes')
    .where('id', '=', canaryId)
    .executeTakeFirstOrThrow();
  assert.equal(
    await s.fields.decrypt({ tenantId, table: 'participants', field: 'notes', rowId: canaryId }, row.notes!, s.db),
    canary,
  );
});

test('restore into a new database reproduces the snapshot', async () => {
  const target = await newDatabase();
  try {
    const seen: [number, number][] = [];
    const r = await restoreFromFile(target.services, archive, {
      passphrase: PASS,
      onProgress: (d, n) => seen.push([d, n]),
    });
    const h = headerOf(archive);
    assert.equal(r.tables, h.tables.length);
    assert.equal(
      r.rows,
      h.tables.reduce((a, t) => a + t.rows, 0),
    );
    assert.deepEqual(seen.at(-1), [r.rows, r.rows]);
    // Whole tables match the archive's snapshot exactly — except transient security state, which a
    // restore clears (counters) or ends (sessions).
    const cleared = ['idempotency_keys', 'login_throttle', 'rate_limits'];
    for (const t of h.tables) {
      const n = Number(
        (await target.services.database.pool.query<{ n: string }>(`select count(*) as n from "${t.name}"`)).rows[0]!.n,
      );
      assert.equal(n, cleared.includes(t.name) ? 0 : t.rows, `rows in ${t.name}`);
    }
    const live = await target.services.database.pool.query('select 1 from user_sessions where revoked_at is null');
    assert.equal(live.rowCount, 0, 'no session survives a restore');
    // And this test's tenant matches the source row for row.
    for (const table of [
      'users',
      'teams',
      'team_members',
      'participants',
      'tenant_keys',
      'audit_chains',
      'audit_events',
      'audit_heads',
      'user_sessions',
    ] as const) {
      const q = `select count(*) as n from ${table} where tenant_id = $1`;
      const a = (await ownerServices.database.pool.query<{ n: string }>(q, [tenantId])).rows[0]!.n;
      const b = (await target.services.database.pool.query<{ n: string }>(q, [tenantId])).rows[0]!.n;
      assert.equal(b, a, `rows of the tenant in ${table}`);
      assert.ok(Number(a) > 0, `the test created rows in ${table}`);
    }
    // Byte-exact bytea and jsonb.
    const src = (
      await ownerServices.database.pool.query<{ t: string }>(
        `select string_agg(e::text, '|' order by id) as t from audit_events e where tenant_id = $1`,
        [tenantId],
      )
    ).rows[0]!.t;
    const dst = (
      await target.services.database.pool.query<{ t: string }>(
        `select string_agg(e::text, '|' order by id) as t from audit_events e where tenant_id = $1`,
        [tenantId],
      )
    ).rows[0]!.t;
    assert.equal(dst, src);
    for (const [id, note] of [...notes, [canaryId, canary] as const]) {
      const row = await target.services.db
        .selectFrom('participants')
        .select('notes')
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      assert.equal(
        await target.services.fields.decrypt(
          { tenantId, table: 'participants', field: 'notes', rowId: id },
          row.notes!,
          target.services.db,
        ),
        note,
      );
    }
    const v = await verifyAudit(target.services.db, { tenantId });
    assert.equal(v.ok, true, JSON.stringify(v.firstBad));
    assert.ok(v.checked >= notes.size);
    // Sequences continue after the restored rows.
    const maxId = (await target.services.database.pool.query<{ m: string }>('select max(id) as m from audit_heads'))
      .rows[0]!.m;
    await signHeads(target.services, tenantId);
    const newId = (await target.services.database.pool.query<{ m: string }>('select max(id) as m from audit_heads'))
      .rows[0]!.m;
    assert.ok(BigInt(newId) > BigInt(maxId));
    // A second restore into the now non-empty database is refused and changes nothing.
    const before = await totalRows(target.services);
    await assert.rejects(restoreFromFile(target.services, archive, { passphrase: PASS }), /not empty/);
    assert.equal(await totalRows(target.services), before);
  } finally {
    await target.services.close();
  }
});

/** Restoring `file` into a fresh database must fail with `re`, leaving the database without data. */
async function assertRestoreFails(file: string, re: RegExp, passphrase = PASS): Promise<void> {
  const target = await newDatabase();
  try {
    await assert.rejects(restoreFromFile(target.services, file, { passphrase }), re);
    assert.equal(await totalRows(target.services), 0);
  } finally {
    await target.services.close();
  }
}

test('a wrong passphrase is refused and the target stays empty', async () => {
  await assertRestoreFails(archive, /wrong passphrase/, 'not the right passphrase');
});

test('one flipped byte in the payload is refused', async () => {
  const b = fs.readFileSync(archive);
  const at = Math.floor(b.length / 2);
  b[at] = b[at]! ^ 0x01;
  const bad = path.join(tmp, 'flipped.sbk');
  fs.writeFileSync(bad, b);
  await assertRestoreFails(bad, /chunk #\d+ failed authentication/);
});

test('a changed header is refused', async () => {
  const b = fs.readFileSync(archive);
  const i = b.indexOf(Buffer.from('"createdAt":"', 'utf8')) + 13;
  b[i] = b[i] === 0x32 ? 0x31 : 0x32; // change a digit of the year
  const bad = path.join(tmp, 'header.sbk');
  fs.writeFileSync(bad, b);
  await assertRestoreFails(bad, /header has been modified/);
});

test('a truncated archive is refused, also at a chunk boundary', async () => {
  const b = fs.readFileSync(archive);
  const cut1 = path.join(tmp, 'cut1.sbk');
  fs.writeFileSync(cut1, b.subarray(0, b.length - 100));
  await assertRestoreFails(cut1, /truncated|damaged/);
  // Drop the whole final chunk: what remains is a valid prefix of whole chunks.
  const headerEnd = 12 + b.readUInt32BE(8) + 32;
  const whole = 64 * 1024 + 16;
  const chunks = Math.ceil((b.length - headerEnd) / whole);
  assert.ok(chunks > 1, 'the fixture spans several chunks');
  const cut2 = path.join(tmp, 'cut2.sbk');
  fs.writeFileSync(cut2, b.subarray(0, headerEnd + (chunks - 1) * whole));
  await assertRestoreFails(cut2, /truncated/);
  const cut3 = path.join(tmp, 'cut3.sbk');
  fs.writeFileSync(cut3, b.subarray(0, headerEnd));
  await assertRestoreFails(cut3, /truncated/);
});

test("a master key that cannot unwrap the archive's data keys rolls the whole restore back", async () => {
  // Same key ids as the real key file, different key bytes: only unwrapping can tell.
  const real = JSON.parse(fs.readFileSync(testConfig().masterKeyFile, 'utf8')) as {
    current: string;
    keys: Record<string, string>;
  };
  const fake = {
    current: real.current,
    keys: Object.fromEntries(Object.keys(real.keys).map((k) => [k, crypto.randomBytes(32).toString('base64')])),
  };
  const fakeFile = path.join(tmp, 'other-master.key');
  fs.writeFileSync(fakeFile, JSON.stringify(fake), { mode: 0o600 });
  const target = await newDatabase(fakeFile);
  try {
    await assert.rejects(restoreFromFile(target.services, archive, { passphrase: PASS }), /master key cannot unwrap/);
    // The schema was created, but none of the archive's rows survived the rollback.
    for (const table of ['users', 'participants', 'tenant_keys', 'audit_events', 'audit_heads']) {
      const n = (await target.services.database.pool.query<{ n: string }>(`select count(*) as n from ${table}`))
        .rows[0]!.n;
      assert.equal(n, '0', table);
    }
    const tenants = (await target.services.database.pool.query<{ id: string }>('select id from tenants')).rows.map(
      (r) => r.id,
    );
    assert.deepEqual(tenants, ['00000000-0000-0000-0000-000000000000']);
  } finally {
    await target.services.close();
  }
});

test("a key file without the archive's master key ids is refused before any work", async () => {
  const other = path.join(tmp, 'unrelated-master.key');
  fs.writeFileSync(
    other,
    JSON.stringify({ current: 'mk-other', keys: { 'mk-other': crypto.randomBytes(32).toString('base64') } }),
    { mode: 0o600 },
  );
  const target = await newDatabase(other);
  try {
    await assert.rejects(restoreFromFile(target.services, archive, { passphrase: PASS }), /SANAD_MASTER_KEY_FILE/);
    assert.equal(await totalRows(target.services), 0);
  } finally {
    await target.services.close();
  }
});

test('a backup made by the app role is refused (row-level security would leave every case row out)', async () => {
  await assert.rejects(
    backupToFile(s, path.join(tmp, 'as-app.sbk'), { passphrase: PASS }),
    /backup must run as the schema owner: row-level security hides rows of .*participants/,
  );
  assert.equal(fs.existsSync(path.join(tmp, 'as-app.sbk')), false);
});
