/** The long-lived parts of a running Sanad: database, keys, signer. Built once per process. */
import { encryptLegacyAcademyText } from './modules/academy/text-crypto.ts';
import { connect, openDatabase, type Database } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import { checkAppRole, grantAppRole, roleFacts } from './db/roles.ts';
import type { Db } from './db/schema.ts';
import { loadKeyring } from './crypto/keyring.ts';
import { FieldCrypto } from './crypto/envelope.ts';
import { Signer } from './crypto/signing.ts';
import { ensureChains } from './audit/log.ts';
import { log } from './log.ts';
import type { Config } from './config.ts';

/** Everything a request handler, job or CLI command needs from the process. */
export interface Services {
  config: Config;
  /** The app role's pool. Inside a transaction never use it: use the transaction (a pool query there throws). */
  db: Db;
  database: Database;
  fields: FieldCrypto;
  signer: Signer;
  /** Migrations this process applied at start (empty when the schema was current or `migrate: false`). */
  migrationsApplied: string[];
  close(): Promise<void>;
}

/**
 * Migrates the schema as its owner, then grants the app role its row privileges and makes sure every
 * tenant has its audit chains. Idempotent; run at every start and by the test harness.
 */
export async function prepareSchema(owner: Db, appRole: string | null): Promise<string[]> {
  const applied = await migrateToLatest(owner);
  if (appRole && appRole !== (await roleFacts(owner)).name) await grantAppRole(owner, appRole);
  // Every tenant has the current number of chains (the count can grow between versions).
  for (const t of await owner.selectFrom('tenants').select('id').execute()) await ensureChains(owner, t.id);
  return applied;
}

/**
 * Opens the database, applies migrations (as the owner), checks the app role, loads keys. The caller
 * must `close()` it. `asOwner` connects as the owner for maintenance (migrate, backup, restore);
 * `timeouts: false` lifts the statement and idle-in-transaction limits (long maintenance work).
 */
export async function createServices(
  config: Config,
  opts: {
    migrate?: boolean;
    poolSize?: number;
    quiet?: boolean;
    attach?: boolean;
    asOwner?: boolean;
    timeouts?: boolean;
  } = {},
): Promise<Services> {
  const timeouts = opts.timeouts !== false;
  const database = await openDatabase({
    dataDir: config.dataDir,
    databaseUrl: config.databaseUrl,
    databaseOwnerUrl: config.databaseOwnerUrl,
    quiet: opts.quiet,
    attach: opts.attach,
    asOwner: opts.asOwner,
    pool: {
      max: opts.poolSize ?? config.dbPoolSize,
      acquireTimeoutMs: config.dbAcquireTimeoutMs,
      ...(timeouts
        ? {
            statementTimeoutMs: config.dbStatementTimeoutMs,
            idleInTransactionTimeoutMs: config.dbIdleInTransactionTimeoutMs,
          }
        : {}),
    },
  });
  try {
    const db = database.db;
    let migrationsApplied: string[] = [];
    const keyring = loadKeyring(config.masterKeyFile, {
      allowGenerate: database.mode === 'embedded' || process.env.SANAD_DEV === 'true',
    });
    const fields = new FieldCrypto(db, keyring);
    const signer = new Signer(db, fields);
    // The owner migrates, grants the app role and creates the signing key (the app role may only read keys).
    const ownerUrl = database.ownerUrl && database.ownerUrl !== database.url ? database.ownerUrl : undefined;
    // Restore (owner, no migration) works on an empty database that must stay empty until it is filled.
    const restoring = opts.asOwner && opts.migrate === false;
    const needKey =
      !restoring &&
      !(await db
        .selectFrom('signing_keys')
        .select('id')
        .where('retired_at', 'is', null)
        .limit(1)
        .executeTakeFirst()
        .catch(() => undefined));
    if (opts.migrate !== false || needKey) {
      const owner = ownerUrl ? connect(ownerUrl, { max: 2 }) : undefined;
      try {
        if (opts.migrate !== false)
          migrationsApplied = await prepareSchema(owner?.db ?? db, (await roleFacts(db)).name);
        if (!restoring) await signer.ensureKey(owner?.db ?? db);
      } finally {
        await owner?.db.destroy();
      }
    }
    if (!opts.asOwner) {
      for (const w of checkAppRole(await roleFacts(db), { allow: config.allowPrivilegedDbRole })) {
        log('warn', w);
        if (!opts.quiet) process.stderr.write(`\n*** ${w}\n\n`);
      }
    }
    if (opts.migrate !== false && !opts.asOwner) {
      // Academy text written before it was encrypted (migration 0006): encrypted once, in batches.
      const n = await encryptLegacyAcademyText(db, fields);
      if (n) log('info', 'academy text encrypted', { rows: n });
    }
    return { config, db, database, fields, signer, migrationsApplied, close: () => database.close() };
  } catch (e) {
    await database.close();
    throw e;
  }
}
