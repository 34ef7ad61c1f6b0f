/**
 * Envelope encryption of sensitive fields: each tenant has versioned 256-bit data keys, wrapped by the
 * master key. A field ciphertext is bound to (tenant, table, field, row) so it cannot be moved.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import { seal, open } from './aead.ts';
import type { Keyring } from './keyring.ts';
import type { DbOrTx, Db } from '../db/schema.ts';

const FORMAT = 1;

/** Where a ciphertext belongs; all four parts are authenticated. */
export interface FieldRef {
  tenantId: string;
  table: string;
  field: string;
  rowId: string;
}

function fieldAad(r: FieldRef): string {
  return `sanad:field:v1:${r.tenantId}:${r.table}:${r.field}:${r.rowId}`;
}

function wrapAad(tenantId: string, version: number): string {
  return `sanad:dek:v1:${tenantId}:${version}`;
}

/** Encrypts and decrypts fields with per-tenant data keys; caches unwrapped keys in memory. */
export class FieldCrypto {
  private cache = new Map<string, Buffer>();
  /** Newest data-key version per tenant, re-read after a minute so other nodes' rotations are picked up. */
  private latest = new Map<string, { v: number; until: number }>();
  private blindKeys = new Map<string, Buffer>();

  constructor(
    private db: Db,
    readonly keyring: Keyring,
  ) {}

  /** Creates the tenant's first data key if it has none (inside the caller's transaction). */
  async ensureTenantKey(tx: DbOrTx, tenantId: string): Promise<void> {
    const row = await tx
      .selectFrom('tenant_keys')
      .select('version')
      .where('tenant_id', '=', tenantId)
      .limit(1)
      .executeTakeFirst();
    if (!row) await this.addDataKey(tx, tenantId, 1);
  }

  private async addDataKey(tx: DbOrTx, tenantId: string, version: number): Promise<void> {
    const dek = crypto.randomBytes(32);
    const mkId = this.keyring.currentId;
    await tx
      .insertInto('tenant_keys')
      .values({
        tenant_id: tenantId,
        version,
        wrapped_key: seal(this.keyring.get(mkId), dek, wrapAad(tenantId, version)),
        master_key_id: mkId,
      })
      .execute();
  }

  private async latestVersion(tenantId: string, via: DbOrTx): Promise<number> {
    const row = await via
      .selectFrom('tenant_keys')
      .select((eb) => eb.fn.max('version').as('v'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    if (!row?.v) throw new AppError('INTERNAL', 'tenant has no data key');
    this.latest.set(tenantId, { v: row.v, until: Date.now() + 60_000 });
    return row.v;
  }

  private async dataKey(tenantId: string, version: number, via: DbOrTx): Promise<Buffer> {
    const k = `${tenantId}:${version}`;
    const hit = this.cache.get(k);
    if (hit) return hit;
    const row = await via
      .selectFrom('tenant_keys')
      .select(['wrapped_key', 'master_key_id'])
      .where('tenant_id', '=', tenantId)
      .where('version', '=', version)
      .executeTakeFirst();
    if (!row) throw new AppError('INTERNAL', 'data key not found (destroyed?)');
    const dek = open(this.keyring.get(row.master_key_id), row.wrapped_key, wrapAad(tenantId, version));
    this.cache.set(k, dek);
    return dek;
  }

  /**
   * Encrypts a UTF-8 string for one field of one row with the tenant's newest data key. `via` is the
   * open transaction when there is one, else the pool — always given, so that a cold key cache never
   * sends a query to the pool from inside a transaction.
   */
  async encrypt(ref: FieldRef, plaintext: string, via: DbOrTx): Promise<Buffer> {
    const hit = this.latest.get(ref.tenantId);
    const version = hit && hit.until > Date.now() ? hit.v : await this.latestVersion(ref.tenantId, via);
    const key = await this.dataKey(ref.tenantId, version, via);
    const head = Buffer.alloc(5);
    head.writeUInt8(FORMAT, 0);
    head.writeUInt32BE(version, 1);
    return Buffer.concat([head, seal(key, Buffer.from(plaintext, 'utf8'), fieldAad(ref))]);
  }

  /** Decrypts a field; a ciphertext moved to another row, field or tenant fails. */
  async decrypt(ref: FieldRef, blob: Buffer, via: DbOrTx): Promise<string> {
    if (blob.length < 5 || blob.readUInt8(0) !== FORMAT) throw new AppError('INTERNAL', 'unknown ciphertext format');
    const key = await this.dataKey(ref.tenantId, blob.readUInt32BE(1), via);
    try {
      return open(key, blob.subarray(5), fieldAad(ref)).toString('utf8');
    } catch {
      throw new AppError('INTERNAL', 'field failed to decrypt');
    }
  }

  /**
   * The tenant's key for blind indexes (keyed hashes of normalised identity values), derived from
   * its first data key so it survives data-key rotation.
   */
  async blindIndex(tenantId: string, kind: string, value: string, via: DbOrTx): Promise<Buffer> {
    let key = this.blindKeys.get(tenantId);
    if (!key) {
      key = Buffer.from(
        crypto.hkdfSync('sha256', await this.dataKey(tenantId, 1, via), tenantId, 'sanad:blind-index:v1', 32),
      );
      this.blindKeys.set(tenantId, key);
    }
    return crypto.createHmac('sha256', key).update(`${kind}\u0000${value}`).digest().subarray(0, 16);
  }

  /** Wraps a secret (e.g. a signing key) with the current master key, bound to a label. */
  wrapSecret(secret: Buffer, label: string): { wrapped: Buffer; masterKeyId: string } {
    const id = this.keyring.currentId;
    return { wrapped: seal(this.keyring.get(id), secret, `sanad:secret:v1:${label}`), masterKeyId: id };
  }

  /** Unwraps a secret wrapped by `wrapSecret`. */
  unwrapSecret(wrapped: Buffer, masterKeyId: string, label: string): Buffer {
    return open(this.keyring.get(masterKeyId), wrapped, `sanad:secret:v1:${label}`);
  }

  /**
   * Rotates the master key without downtime: adds a new master key, re-wraps every tenant data key
   * and signing key under it in one transaction. Data keys themselves do not change, so running
   * nodes keep decrypting from their caches. Old master keys stay in the keyring (backups made
   * before the rotation still need them) unless `retireOld` is set.
   */
  async rotateMasterKey(
    opts: { retireOld?: boolean; onProgress?: (done: number, total: number) => void } = {},
  ): Promise<{ newKeyId: string; rewrapped: number; retired: string[] }> {
    const onProgress = opts.onProgress;
    const newId = this.keyring.addNew();
    const newKey = this.keyring.get(newId);
    let rewrapped = 0;
    await this.db.transaction().execute(async (tx) => {
      const rows = await tx.selectFrom('tenant_keys').selectAll().forUpdate().execute();
      const signing = await tx.selectFrom('signing_keys').selectAll().forUpdate().execute();
      const total = rows.length + signing.length;
      for (const r of rows) {
        const dek = open(this.keyring.get(r.master_key_id), r.wrapped_key, wrapAad(r.tenant_id, r.version));
        await tx
          .updateTable('tenant_keys')
          .set({ wrapped_key: seal(newKey, dek, wrapAad(r.tenant_id, r.version)), master_key_id: newId })
          .where('tenant_id', '=', r.tenant_id)
          .where('version', '=', r.version)
          .execute();
        rewrapped++;
        onProgress?.(rewrapped, total);
      }
      for (const s of signing) {
        const label = `signing:${s.id}`;
        const secret = open(this.keyring.get(s.master_key_id), s.private_key, `sanad:secret:v1:${label}`);
        await tx
          .updateTable('signing_keys')
          .set({ private_key: seal(newKey, secret, `sanad:secret:v1:${label}`), master_key_id: newId })
          .where('id', '=', s.id)
          .execute();
        rewrapped++;
        onProgress?.(rewrapped, total);
      }
    });
    let retired: string[] = [];
    if (opts.retireOld) {
      const inUse = await sql<{
        id: string;
      }>`select master_key_id as id from tenant_keys union select master_key_id from signing_keys`.execute(this.db);
      retired = this.keyring.retire(new Set(inUse.rows.map((r) => r.id)));
    }
    return { newKeyId: newId, rewrapped, retired };
  }

  /** Adds a new data key version for every tenant; new writes use it, old data stays readable. */
  async rotateDataKeys(): Promise<number> {
    let n = 0;
    await this.db.transaction().execute(async (tx) => {
      const rows = await tx
        .selectFrom('tenant_keys')
        .select(['tenant_id', (eb) => eb.fn.max('version').as('v')])
        .groupBy('tenant_id')
        .execute();
      for (const r of rows) {
        await this.addDataKey(tx, r.tenant_id, Number(r.v) + 1);
        n++;
      }
    });
    this.latest.clear();
    return n;
  }
}
