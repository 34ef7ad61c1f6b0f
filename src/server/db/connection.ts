/** Opens the database: the embedded PostgreSQL by default, or any PostgreSQL ≥ 15 via DATABASE_URL. */
import pg from 'pg';
import { Kysely, PostgresDialect } from 'kysely';
import { startEmbedded } from './embedded.ts';
import type { Db } from './schema.ts';

// bigint (int8) as string, never as a rounded JS number.
pg.types.setTypeParser(20, (v) => v);
// date as the YYYY-MM-DD it is, never shifted by the server's time zone.
pg.types.setTypeParser(1082, (v) => v);

/** An open database with its mode and a close function that also stops an embedded server. */
export interface Database {
  db: Db;
  pool: pg.Pool;
  mode: 'embedded' | 'external';
  url: string;
  close(): Promise<void>;
}

/** Builds a Kysely instance over a pg pool for the given connection string. */
export function connect(url: string, max = 20): { db: Db; pool: pg.Pool } {
  const pool = new pg.Pool({ connectionString: url, max, idleTimeoutMillis: 30_000, application_name: 'sanad' });
  // A dropped idle connection must not crash the process.
  pool.on('error', () => undefined);
  const db = new Kysely({ dialect: new PostgresDialect({ pool }) }) as Db;
  return { db, pool };
}

/** Opens the configured database, starting the embedded server first when no URL is given. */
export async function openDatabase(opts: { dataDir: string; databaseUrl?: string; poolSize?: number; quiet?: boolean; attach?: boolean }): Promise<Database> {
  if (opts.databaseUrl) {
    const { db, pool } = connect(opts.databaseUrl, opts.poolSize);
    return { db, pool, mode: 'external', url: opts.databaseUrl, close: () => db.destroy() };
  }
  const server = await startEmbedded(opts.dataDir, { quiet: opts.quiet, attach: opts.attach });
  const { db, pool } = connect(server.url, opts.poolSize);
  return {
    db,
    pool,
    mode: 'embedded',
    url: server.url,
    close: async () => {
      await db.destroy();
      await server.stop();
    },
  };
}
