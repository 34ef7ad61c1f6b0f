/** Runs the forward-only, numbered migrations with Kysely's migrator (which takes its own lock). */
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Migrator, type Migration, type MigrationProvider } from 'kysely';
import type { Db } from './schema.ts';

/** The migrations folder: every `NNNN-name.ts` in it is a migration, applied in name order. */
const MIGRATIONS_DIR = path.join(import.meta.dirname, 'migrations');
const MIGRATION_FILE = /^(\d{4}-[a-z0-9-]+)\.ts$/;

/** Reads the migrations from their folder, so a new one needs no registration. */
async function loadMigrations(): Promise<Record<string, Migration>> {
  const out: Record<string, Migration> = {};
  for (const file of fs.readdirSync(MIGRATIONS_DIR).sort()) {
    const name = MIGRATION_FILE.exec(file)?.[1];
    if (!name) continue;
    const mod = (await import(pathToFileURL(path.join(MIGRATIONS_DIR, file)).href)) as Partial<Migration>;
    if (typeof mod.up !== 'function') throw new Error(`migration ${file} exports no up()`);
    out[name] = { up: mod.up, ...(mod.down ? { down: mod.down } : {}) };
  }
  return out;
}

/** Kysely's bookkeeping tables (the app role may only read them). */
export const MIGRATIONS_TABLE = 'sanad_migrations';
export const MIGRATION_LOCK_TABLE = 'sanad_migration_lock';

const provider: MigrationProvider = { getMigrations: loadMigrations };

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
