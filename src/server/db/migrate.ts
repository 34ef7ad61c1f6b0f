/** Runs the forward-only, numbered migrations with Kysely's migrator (which takes its own lock). */
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import * as m0001 from './migrations/0001-foundation.ts';
import * as m0002 from './migrations/0002-case-work.ts';
import * as m0003 from './migrations/0003-instruments.ts';
import * as m0004 from './migrations/0004-assessments.ts';
import * as m0005 from './migrations/0005-academy.ts';
import * as m0006 from './migrations/0006-academy-encrypted-text.ts';
import * as m0007 from './migrations/0007-row-level-security.ts';
import type { Db } from './schema.ts';

const MIGRATIONS: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-case-work': m0002,
  '0003-instruments': m0003,
  '0004-assessments': m0004,
  '0005-academy': m0005,
  '0006-academy-encrypted-text': m0006,
  '0007-row-level-security': m0007,
};

/** Kysely's bookkeeping tables (the app role may only read them). */
export const MIGRATIONS_TABLE = 'sanad_migrations';
export const MIGRATION_LOCK_TABLE = 'sanad_migration_lock';

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** The message of what a migration threw (an Error, or whatever else was thrown, as text). */
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/** Brings the database to the latest schema; returns the names of migrations applied now. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    migrationTableName: MIGRATIONS_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error');
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${messageOf(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
