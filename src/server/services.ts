/** The long-lived parts of a running Sanad: database, keys, signer. Built once per process. */
import { openDatabase, type Database } from './db/connection.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { Db } from './db/schema.ts';
import { loadKeyring } from './crypto/keyring.ts';
import { FieldCrypto } from './crypto/envelope.ts';
import { Signer } from './crypto/signing.ts';
import { ensureChains } from './audit/log.ts';
import type { Config } from './config.ts';

/** Everything a request handler, job or CLI command needs from the process. */
export interface Services {
  config: Config;
  db: Db;
  database: Database;
  fields: FieldCrypto;
  signer: Signer;
  close(): Promise<void>;
}

/** Opens the database, applies migrations, loads keys. The caller must `close()` it. */
export async function createServices(config: Config, opts: { migrate?: boolean; poolSize?: number; quiet?: boolean; attach?: boolean } = {}): Promise<Services> {
  const database = await openDatabase({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: opts.poolSize, quiet: opts.quiet, attach: opts.attach });
  try {
    const db = database.db;
    if (opts.migrate !== false) {
      await migrateToLatest(db);
      // Every tenant has the current number of chains (the count can grow between versions).
      for (const t of await db.selectFrom('tenants').select('id').execute()) await ensureChains(db, t.id);
    }
    const keyring = loadKeyring(config.masterKeyFile, { allowGenerate: database.mode === 'embedded' || process.env.SANAD_DEV === 'true' });
    const fields = new FieldCrypto(db, keyring);
    const signer = new Signer(db, fields);
    return { config, db, database, fields, signer, close: () => database.close() };
  } catch (e) {
    await database.close();
    throw e;
  }
}
