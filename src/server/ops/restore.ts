/**
 * Restore of an archive made by `backupToFile` (backup.ts, which describes the format) into an
 * empty database: authenticate the header, verify the whole payload once without touching the
 * database, then load every table in one transaction under ACCESS EXCLUSIVE locks.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { Readable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import * as pgCopy from 'pg-copy-streams';
import { Kysely, PostgresDialect } from 'kysely';
import type { Services } from '../services.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { SYSTEM_TENANT_ID, type DB } from '../db/schema.ts';
import { FieldCrypto } from '../crypto/envelope.ts';
import { ArchiveError, checkPassphrase, readHeader, type ArchiveHeader } from './archive-crypto.ts';
import { BinaryCopyCounter, ByteReader, readSections } from './archive-payload.ts';
import {
  columnList,
  foreignKeyParents,
  ident,
  listTables,
  MIGRATIONS_TABLE,
  resetSequences,
  rlsHidden,
  type TableInfo,
} from './catalog.ts';
import { throttle, type Progress } from './progress.ts';

/** Streams the authenticated, decompressed payload of an archive into `consume`. */
async function withPayload(
  file: string,
  offset: number,
  decryptor: () => Transform,
  consume: (r: ByteReader) => Promise<void>,
): Promise<void> {
  await pipeline(
    fs.createReadStream(file, { start: offset, highWaterMark: 256 * 1024 }),
    decryptor(),
    zlib.createGunzip(),
    async (src: AsyncIterable<Buffer>) => {
      await consume(new ByteReader(src));
    },
  );
}

/**
 * Walks every table section of the payload in order, checking names, order and row counts against
 * the header; `onTable` must consume the section's data (it gets a counting view of it).
 */
async function walk(
  r: ByteReader,
  header: ArchiveHeader,
  onTable: (
    t: ArchiveHeader['tables'][number],
    data: AsyncIterable<Buffer>,
    counter: BinaryCopyCounter,
  ) => Promise<void>,
): Promise<number> {
  let i = 0;
  let rows = 0;
  for await (const sec of readSections(r)) {
    const t = header.tables[i];
    if (!t || sec.name !== t.name)
      throw new ArchiveError(
        `archive payload does not match its header (found table ${sec.name}, expected ${t?.name ?? 'the end'})`,
      );
    const counter = new BinaryCopyCounter();
    async function* counted(): AsyncGenerator<Buffer> {
      for await (const piece of sec.data) {
        counter.feed(piece);
        yield piece;
      }
    }
    await onTable(t, counted(), counter);
    const written = await sec.rows();
    if (!counter.done || counter.rows !== t.rows || written !== t.rows)
      throw new ArchiveError(`archive table ${t.name} holds ${counter.rows} rows, its header says ${t.rows}`);
    rows += t.rows;
    i++;
  }
  if (i !== header.tables.length) throw new ArchiveError('archive payload ends before all tables listed in its header');
  return rows;
}

/** A Kysely bound to one already-open pg client (so statements join that client's transaction). */
function kyselyOn(client: pg.PoolClient): Kysely<DB> {
  const lent = {
    query: (...a: unknown[]) => (client.query as (...x: unknown[]) => unknown)(...a),
    release: () => undefined,
  };
  const pool = { connect: async () => lent, end: async () => undefined };
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
}

/** Tables that hold anything a fresh, migrated database would not; empty list = safe to restore into. */
async function nonEmptyTables(c: pg.ClientBase, tables: TableInfo[]): Promise<string[]> {
  const busy: string[] = [];
  for (const t of tables) {
    if (t.name === MIGRATIONS_TABLE) continue;
    // A fresh migration creates the system tenant; starting the app creates its (empty) audit chains.
    const where =
      t.name === 'tenants'
        ? `where id <> '${SYSTEM_TENANT_ID}'`
        : t.name === 'audit_chains'
          ? `where not (tenant_id = '${SYSTEM_TENANT_ID}' and seq = 0)`
          : '';
    const r = await c.query<{ e: boolean }>(`select exists (select 1 from ${ident(t.name)} ${where}) as e`);
    if (r.rows[0]!.e) busy.push(t.name);
  }
  return busy;
}

function describeTables(ts: TableInfo[]): string {
  return ts.map((t) => `${t.name}(${t.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`).join('; ');
}

/**
 * Restores an archive made by `backupToFile` into an empty database (creating the schema if there is
 * none). All or nothing: a wrong passphrase, any damaged or missing byte, a non-empty target or a
 * master key that cannot unwrap the archive's data keys fails with a clear error and leaves no data.
 */
export async function restoreFromFile(
  s: Services,
  file: string,
  opts: { passphrase: string; onProgress?: Progress },
): Promise<{ tables: number; rows: number }> {
  checkPassphrase(opts.passphrase);
  const fh = await fs.promises.open(file, 'r');
  let opened: Awaited<ReturnType<typeof readHeader>>;
  try {
    opened = await readHeader(
      {
        read: async (n, at) => {
          const b = Buffer.alloc(n);
          const { bytesRead } = await fh.read(b, 0, n, at);
          return b.subarray(0, bytesRead);
        },
      },
      opts.passphrase,
    );
  } finally {
    await fh.close();
  }
  const { header, payloadOffset, decryptor } = opened;
  const total = header.tables.reduce((a, t) => a + t.rows, 0);
  const progress = throttle(opts.onProgress, total);

  // Master keys: a clear refusal now beats a restored database whose sensitive fields cannot be read.
  const missing = header.masterKeyIds.filter((id) => {
    try {
      s.fields.keyring.get(id);
      return false;
    } catch {
      return true;
    }
  });
  if (missing.length) {
    throw new Error(
      `this archive's data keys are wrapped by master key(s) ${missing.join(', ')}, which this deployment's keyring does not hold; ` +
        'restore needs the master key file of the deployment that made the backup (set SANAD_MASTER_KEY_FILE to it)',
    );
  }

  progress(0, true);
  // Pass 1: decrypt and verify everything without touching the database.
  await withPayload(file, payloadOffset, decryptor, async (r) => {
    await walk(r, header, async (_t, data) => {
      for await (const _ of data);
    });
  });

  // The target: create the schema if there is none, refuse if it holds data or differs from the archive's.
  const client = await s.database.pool.connect();
  let ok = false;
  try {
    const hasSchema =
      (await client.query<{ r: string | null }>(`select to_regclass('public.${MIGRATIONS_TABLE}')::text as r`)).rows[0]!
        .r !== null;
    // An app role would see case tables as empty (row-level security) and could not write them back.
    const hidden = hasSchema ? await rlsHidden(client) : [];
    if (hidden.length)
      throw new Error(
        `restore must run as the schema owner: row-level security hides rows of ${hidden.join(', ')} from this role (\`sanad restore\` connects as the owner)`,
      );
    if (hasSchema) {
      const busy = await nonEmptyTables(client, await listTables(client));
      if (busy.length)
        throw new Error(
          `refusing to restore: the target database is not empty (data in ${busy.join(', ')}); restore only into a new, empty database`,
        );
    } else {
      await migrateToLatest(s.db);
    }
    const applied = (
      await client.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE} order by name`)
    ).rows.map((r) => r.name);
    const unknown = header.migrations.filter((m) => !applied.includes(m));
    if (unknown.length)
      throw new Error(
        `refusing to restore: the archive was made by a newer Sanad (migrations ${unknown.join(', ')} are unknown here); upgrade Sanad first`,
      );
    const newer = applied.filter((m) => !header.migrations.includes(m));
    if (newer.length) {
      throw new Error(
        `refusing to restore: the archive predates migrations ${newer.join(', ')}; restore it with the Sanad version that made it, then upgrade`,
      );
    }
    const target = await listTables(client);
    const want = header.tables.map((t) => ({ name: t.name, columns: t.columns }));
    const byName = new Map(target.map((t) => [t.name, t]));
    const mismatch = want
      .filter((t) => JSON.stringify(byName.get(t.name)?.columns) !== JSON.stringify(t.columns))
      .map((t) => t.name);
    if (mismatch.length || target.length !== want.length) {
      throw new Error(
        `refusing to restore: the target schema differs from the archive's (${mismatch.join(', ') || 'table set'}): archive ${describeTables(want.filter((t) => mismatch.includes(t.name)))}`,
      );
    }
    // The archive's order must load parents before children in this schema.
    const parents = await foreignKeyParents(client);
    const seen = new Set<string>();
    for (const t of header.tables) {
      for (const p of parents.get(t.name) ?? [])
        if (!seen.has(p)) throw new ArchiveError(`archive lists ${t.name} before ${p}, which it references`);
      seen.add(t.name);
    }

    // Pass 2: load everything in one transaction.
    await client.query('begin');
    await client.query(`set local lock_timeout = '30s'`);
    await client.query(`lock table ${header.tables.map((t) => ident(t.name)).join(', ')} in access exclusive mode`);
    const busy = await nonEmptyTables(client, target);
    if (busy.length)
      throw new Error(`refusing to restore: the target database is not empty (data in ${busy.join(', ')})`);
    // Make room for the archive's own copies of what a fresh database starts with.
    if (byName.has('audit_chains'))
      await client.query(`delete from audit_chains where tenant_id = $1`, [SYSTEM_TENANT_ID]);
    await client.query(`delete from tenants where id = $1`, [SYSTEM_TENANT_ID]);
    await client.query(`delete from ${MIGRATIONS_TABLE}`);

    let done = 0;
    let rows = 0;
    await withPayload(file, payloadOffset, decryptor, async (r) => {
      rows = await walk(r, header, async (t, data, counter) => {
        const info = byName.get(t.name)!;
        const copy = client.query(
          pgCopy.from(`copy ${ident(t.name)} (${columnList(info)}) from stdin (format binary)`),
        );
        const before = done;
        async function* tracked(): AsyncGenerator<Buffer> {
          for await (const piece of data) {
            yield piece;
            progress(before + counter.rows);
          }
        }
        await pipeline(Readable.from(tracked(), { objectMode: false }), copy);
        done = before + t.rows;
        progress(done);
      });
    });

    await resetSequences(client);
    await checkMasterKey(s, client);
    // Transient security state from the snapshot must not come back: every restored session is ended
    // (sessions revoked after the backup would otherwise revive), and retry/lockout counters reset.
    await client.query('update user_sessions set revoked_at = now() where revoked_at is null');
    await client.query('delete from idempotency_keys');
    await client.query('delete from login_throttle');
    await client.query('delete from rate_limits');
    await client.query('commit');
    ok = true;
    progress(done, true);
    return { tables: header.tables.length, rows };
  } finally {
    if (!ok) await client.query('rollback').catch(() => undefined);
    client.release(ok ? undefined : true);
  }
}

/** Proves, inside the restore transaction, that this deployment's master key unwraps every tenant's data key. */
async function checkMasterKey(s: Services, client: pg.PoolClient): Promise<void> {
  const db = kyselyOn(client);
  const probe = new FieldCrypto(db, s.fields.keyring);
  const tenants = await db.selectFrom('tenant_keys').select('tenant_id').distinct().execute();
  for (const t of tenants) {
    try {
      await probe.encrypt({ tenantId: t.tenant_id, table: 'restore_check', field: 'probe', rowId: 'probe' }, '', db);
    } catch (e) {
      throw new Error(
        `refusing to restore: this deployment's master key cannot unwrap the data key of tenant ${t.tenant_id} ` +
          `(${e instanceof Error ? e.message : String(e)}); restore needs the master key file of the deployment that made the backup`,
        { cause: e },
      );
    }
  }
}
