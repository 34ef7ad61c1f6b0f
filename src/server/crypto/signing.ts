/** The deployment's Ed25519 signing key: signs audit chain heads (and, later, credentials). */
import crypto from 'node:crypto';
import { CompactSign, compactVerify, importJWK, type JWK } from 'jose';
import type { Db, DbOrTx } from '../db/schema.ts';
import type { FieldCrypto } from './envelope.ts';

/** Signs payloads as compact JWS (EdDSA) with the current key, creating one on first use. */
export class Signer {
  private current?: { id: string; key: crypto.KeyObject; publicJwk: JWK };

  constructor(
    private db: Db,
    private fields: FieldCrypto,
  ) {}

  /**
   * Makes sure a signing key exists, creating one if none does. Called at start with the schema
   * owner's connection (the app role may only read `signing_keys`), never inside a request's
   * transaction: a key cached from a transaction that rolls back would sign with a key nobody has.
   */
  async ensureKey(owner: DbOrTx): Promise<void> {
    if (await owner.selectFrom('signing_keys').select('id').where('retired_at', 'is', null).limit(1).executeTakeFirst())
      return;
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const id = `sk-${crypto.randomBytes(6).toString('hex')}`;
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const { wrapped, masterKeyId } = this.fields.wrapSecret(der, `signing:${id}`);
    await owner
      .insertInto('signing_keys')
      .values({
        id,
        public_key: JSON.stringify(publicKey.export({ format: 'jwk' })),
        private_key: wrapped,
        master_key_id: masterKeyId,
      })
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  /** Loads the current key once per process; `db` is the caller's transaction when inside one. */
  private async load(db: DbOrTx = this.db): Promise<{ id: string; key: crypto.KeyObject; publicJwk: JWK }> {
    if (this.current) return this.current;
    const row = await db
      .selectFrom('signing_keys')
      .selectAll()
      .where('retired_at', 'is', null)
      .orderBy('created_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (!row) throw new Error('no signing key: it is created at start (createServices) by the schema owner');
    const der = this.fields.unwrapSecret(row.private_key, row.master_key_id, `signing:${row.id}`);
    const key = crypto.createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    this.current = { id: row.id, key, publicJwk: { ...(JSON.parse(row.public_key) as JWK), kid: row.id } };
    return this.current;
  }

  /** Signs a JSON payload; returns a compact JWS whose header names the key. Pass the transaction when inside one. */
  async sign(payload: unknown, typ: string, db: DbOrTx): Promise<string> {
    const k = await this.load(db);
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'EdDSA', kid: k.id, typ })
      .sign(k.key);
  }

  /** Public keys (JWK) of every signing key, current and retired, for verifiers. */
  async publicKeys(db: DbOrTx = this.db): Promise<JWK[]> {
    const rows = await db.selectFrom('signing_keys').select(['id', 'public_key']).execute();
    return rows.map((r) => ({ ...(JSON.parse(r.public_key) as JWK), kid: r.id, alg: 'EdDSA' }));
  }

  /** Verifies a compact JWS made by this deployment (EdDSA, of the given `typ`); returns the payload or throws. */
  async verify(jws: string, typ: string): Promise<unknown> {
    return this.keys().open(jws, typ);
  }

  /** A verifier that reads the public keys once, for checking many signatures (signed heads, anchor records). */
  keys(): DeploymentKeys {
    return new DeploymentKeys(() => this.publicKeys());
  }
}

type VerifyKey = Awaited<ReturnType<typeof importJWK>>;

/**
 * Verifies compact JWS made by this deployment against the public keys stored in the database. The
 * list is read once (and once more for an unknown key id: a key made after it was read), so checking
 * thousands of statements or records costs one query, not one per signature.
 */
export class DeploymentKeys {
  private jwks: JWK[] | undefined;
  private keys = new Map<string, Promise<VerifyKey>>();
  private reloaded = false;

  constructor(private load: () => Promise<JWK[]>) {}

  private async key(kid: string | undefined): Promise<VerifyKey> {
    if (!kid) throw new Error('no key id');
    const cached = this.keys.get(kid);
    if (cached) return cached;
    this.jwks ??= await this.load();
    let jwk = this.jwks.find((k) => k.kid === kid);
    if (!jwk && !this.reloaded) {
      this.reloaded = true;
      this.jwks = await this.load();
      jwk = this.jwks.find((k) => k.kid === kid);
    }
    if (!jwk) throw new Error('unknown signing key');
    const k = importJWK(jwk, 'EdDSA');
    this.keys.set(kid, k);
    return k;
  }

  /** Checks an EdDSA signature and the `typ`; returns the parsed JSON payload or throws saying why not. */
  async open(jws: string, typ: string): Promise<unknown> {
    if (typeof jws !== 'string' || jws.length > 4_000_000) throw new Error('not a compact JWS');
    const { payload, protectedHeader } = await compactVerify(jws, (h) => this.key(h.kid), { algorithms: ['EdDSA'] });
    if (protectedHeader.typ !== typ) throw new Error(`not a ${typ} token`);
    return JSON.parse(new TextDecoder().decode(payload)) as unknown;
  }
}
