/**
 * Encrypted, consistent backups of the whole Sanad database, and restore into an empty database.
 *
 * Works through the driver (the embedded PostgreSQL has no pg_dump): one connection, one REPEATABLE
 * READ READ ONLY transaction (a single snapshot), `COPY … TO STDOUT (FORMAT binary)` per table, streamed.
 *
 * Archive layout (`.sbk`, format 1):
 *
 *   "SANADBK1"                 8 bytes magic
 *   u32 BE n                   length of the header JSON
 *   header JSON (n bytes)      plaintext: format, createdAt, server version, KDF (scrypt N/r/p, salt),
 *                              cipher (aes-256-gcm, 64 KiB chunks, 8-byte random nonce prefix), a key
 *                              check value, applied migrations, master key ids, and per table its name,
 *                              row count and column names/types. Nothing about people.
 *   HMAC-SHA256 (32 bytes)     over magic | n | JSON, with the header MAC key
 *   chunks…                    AES-256-GCM: ciphertext | 16-byte tag. Every chunk but the last carries
 *                              exactly 64 KiB of plaintext; the last carries 1..64 KiB. Nonce = prefix |
 *                              u32 BE chunk index. AAD = header MAC | u64 BE index | final flag (1 on the
 *                              last chunk only), so reordering, splicing from another archive and
 *                              truncation (even at a chunk boundary) all fail authentication.
 *
 * Keys: scrypt(passphrase NFC, salt, N=2^17, r=8, p=1) → 64 bytes = chunk key | header MAC key. The key
 * check value (HMAC(mac key, "sanad-backup key check"), 16 bytes) tells a wrong passphrase apart from
 * a damaged header; it gives an attacker nothing the first chunk's tag would not.
 *
 * Decrypted payload = gzip of: per table in foreign-key order, `T name`, `D <len> <COPY bytes>`…,
 * `E <rows>`; then `Z` (see archive-payload.ts).
 *
 * Why binary COPY: it reproduces bytea (field ciphertexts, hashes, wrapped keys), jsonb, timestamps
 * and numbers exactly, independent of the session's DateStyle/TimeZone/bytea_output/extra_float_digits,
 * and is smaller than hex-escaped text for binary columns. Its cost — both sides must have the same
 * column types — is what the migration and column checks at restore enforce anyway.
 *
 * The master key is NOT in the archive. Sensitive fields stay encrypted under the tenants' data keys,
 * which stay wrapped by the master key, so a restored database is only readable with the original
 * master key file (SANAD_MASTER_KEY_FILE / SANAD_MASTER_KEY). Restore checks this before committing.
 * The archive passphrase and the master key are two separate secrets; keep them apart from the archive.
 *
 * Restore (restore.ts): the header is authenticated first (wrong passphrase fails here, before any work); then
 * the whole payload is decrypted and verified once without touching the database (no plaintext temp
 * file); only then is the schema created if missing, and everything is loaded inside ONE transaction
 * holding ACCESS EXCLUSIVE locks on every table, re-verifying each chunk as it streams, so any failure
 * rolls back to the empty database. Insert triggers, if any are added later, fire during COPY.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as pgCopy from 'pg-copy-streams';
import type { Services } from '../services.ts';
import { checkPassphrase, openForWriting, type ArchiveHeader } from './archive-crypto.ts';
import { BinaryCopyCounter, dataHead, payloadEnd, tableEnd, tableStart } from './archive-payload.ts';
import { columnList, ident, listTables, MIGRATIONS_TABLE, rlsHidden } from './catalog.ts';
import { throttle, type Progress } from './progress.ts';

/**
 * Writes an encrypted snapshot of every application table to `file` (via `file.partial`, mode 0600,
 * renamed when complete and synced). Returns table and row counts and the archive size.
 */
export async function backupToFile(
  s: Services,
  file: string,
  opts: { passphrase: string; onProgress?: Progress },
): Promise<{ tables: number; rows: number; bytes: number }> {
  checkPassphrase(opts.passphrase);
  const partial = `${file}.partial`;
  const client = await s.database.pool.connect();
  let ok = false;
  try {
    await client.query('begin isolation level repeatable read read only');
    const tables = await listTables(client);
    if (!tables.some((t) => t.name === MIGRATIONS_TABLE))
      throw new Error('the database has no Sanad schema to back up');
    // Row-level security would silently leave every case row out of a backup made by the app role.
    const hidden = await rlsHidden(client);
    if (hidden.length)
      throw new Error(
        `backup must run as the schema owner: row-level security hides rows of ${hidden.join(', ')} from this role (\`sanad backup\` connects as the owner)`,
      );
    // As pg_dump does: keep DDL (a migration) from changing a table while it is being copied.
    await client.query(`lock table ${tables.map((t) => ident(t.name)).join(', ')} in access share mode`);
    const counted: ArchiveHeader['tables'] = [];
    for (const t of tables) {
      const r = await client.query<{ n: string }>(`select count(*) as n from ${ident(t.name)}`);
      counted.push({ name: t.name, rows: Number(r.rows[0]!.n), columns: t.columns });
    }
    const total = counted.reduce((a, t) => a + t.rows, 0);
    const migrations = (
      await client.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE} order by name`)
    ).rows.map((r) => r.name);
    const keyTables = ['tenant_keys', 'signing_keys'].filter((k) => tables.some((t) => t.name === k));
    const masterKeyIds = keyTables.length
      ? (
          await client.query<{ id: string }>(
            keyTables.map((k) => `select master_key_id as id from ${ident(k)}`).join(' union ') + ' order by 1',
          )
        ).rows.map((r) => r.id)
      : [];
    const serverVersion = (await client.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!
      .v;
    const { headerBytes, encryptor } = await openForWriting(opts.passphrase, {
      createdAt: new Date().toISOString(),
      serverVersion,
      migrations,
      masterKeyIds,
      tables: counted,
    });

    const progress = throttle(opts.onProgress, total);
    progress(0, true);
    let done = 0;
    async function* payload(): AsyncGenerator<Buffer> {
      for (const t of tables) {
        yield tableStart(t.name);
        const counter = new BinaryCopyCounter();
        const copy = client.query(pgCopy.to(`copy ${ident(t.name)} (${columnList(t)}) to stdout (format binary)`));
        for await (const chunk of copy as AsyncIterable<Buffer>) {
          const before = counter.rows;
          counter.feed(chunk);
          done += counter.rows - before;
          progress(done);
          yield dataHead(chunk.length);
          yield chunk;
        }
        const expected = counted.find((c) => c.name === t.name)!.rows;
        if (!counter.done || counter.rows !== expected)
          throw new Error(`table ${t.name}: copied ${counter.rows} rows but the snapshot counted ${expected}`);
        yield tableEnd(counter.rows);
      }
      yield payloadEnd;
    }

    await fs.promises.rm(partial, { force: true });
    const out = fs.createWriteStream(partial, { mode: 0o600, flags: 'wx' });
    out.write(headerBytes);
    await pipeline(Readable.from(payload(), { objectMode: false }), zlib.createGzip({ level: 6 }), encryptor, out);
    await client.query('commit');
    ok = true;
    // Durable before it is visible under its real name.
    const fh = await fs.promises.open(partial, 'r');
    await fh.sync();
    await fh.close();
    await fs.promises.rename(partial, file);
    await syncDir(path.dirname(path.resolve(file)));
    progress(done, true);
    const bytes = (await fs.promises.stat(file)).size;
    return { tables: tables.length, rows: done, bytes };
  } catch (e) {
    await fs.promises.rm(partial, { force: true }).catch(() => undefined);
    throw e;
  } finally {
    if (!ok) await client.query('rollback').catch(() => undefined);
    // A connection that failed mid-COPY is in an unknown state: discard it rather than return it.
    client.release(ok ? undefined : true);
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await fs.promises.open(dir, 'r');
    await d.sync();
    await d.close();
  } catch {
    // Not every platform can fsync a directory; the rename is still atomic.
  }
}
