/**
 * The two database roles. The **owner** owns the schema and runs migrations and maintenance; the
 * **app** role serves requests and may only read and write rows: it owns nothing, is no superuser, and
 * cannot create roles or databases, bypass row-level security, disable triggers, `COPY … TO PROGRAM`
 * or change `session_replication_role`. On the audit tables it may only read and append.
 */
import { sql } from 'kysely';
import type { Db } from './schema.ts';
import { MIGRATION_LOCK_TABLE, MIGRATIONS_TABLE } from './migrate.ts';

/** Tables the app may read and append to but never change or delete from (tamper evidence). */
const APPEND_ONLY = ['audit_events', 'audit_heads'];

/** Facts about the role a connection logs in as. */
export interface RoleFacts {
  name: string;
  superuser: boolean;
  bypassRls: boolean;
  createRole: boolean;
  /** Whether the role owns any table of the public schema. */
  ownsTables: boolean;
}

/** Reads what the connection's role may do. */
export async function roleFacts(db: Db): Promise<RoleFacts> {
  const r = await sql<{ name: string; superuser: boolean; bypass: boolean; createrole: boolean; owns: boolean }>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypass, r.rolcreaterole as createrole,
      exists (select 1 from pg_tables t where t.schemaname = 'public' and t.tableowner = current_user) as owns
    from pg_roles r where r.rolname = current_user`.execute(db);
  const f = r.rows[0]!;
  return { name: f.name, superuser: f.superuser, bypassRls: f.bypass, createRole: f.createrole, ownsTables: f.owns };
}

/** Creates (or re-passwords) a login role with no privileges beyond logging in; run as a role that may create roles. */
export async function ensureLoginRole(owner: Db, name: string, password: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid role name ${name}`);
  const exists = await sql<{ n: number }>`select count(*)::int as n from pg_roles where rolname = ${name}`.execute(owner);
  // Role DDL takes no bind parameters; the password is base64url, so a quoted literal is safe.
  if (!/^[A-Za-z0-9_-]+$/.test(password)) throw new Error('the generated role password has unexpected characters');
  const verb = exists.rows[0]!.n === 0 ? 'create' : 'alter';
  await sql.raw(`${verb} role ${name} login nosuperuser nocreatedb nocreaterole noinherit nobypassrls noreplication password '${password}'`).execute(owner);
}

/**
 * Grants the app role what it needs on every table of the schema (run after each migration, as the
 * owner): read and write rows, except the append-only audit tables and the migration bookkeeping.
 */
export async function grantAppRole(owner: Db, appRole: string): Promise<void> {
  const role = sql.id(appRole);
  await sql`grant usage on schema public to ${role}`.execute(owner);
  await sql`grant select, insert, update, delete on all tables in schema public to ${role}`.execute(owner);
  await sql`grant usage, select on all sequences in schema public to ${role}`.execute(owner);
  await sql`revoke truncate, references, trigger on all tables in schema public from ${role}`.execute(owner);
  for (const t of APPEND_ONLY) await sql`revoke update, delete on ${sql.table(t)} from ${role}`.execute(owner);
  for (const t of [MIGRATIONS_TABLE, MIGRATION_LOCK_TABLE]) {
    const present = await sql<{ r: string | null }>`select to_regclass(${`public.${t}`})::text as r`.execute(owner);
    if (present.rows[0]!.r) await sql`revoke insert, update, delete on ${sql.table(t)} from ${role}`.execute(owner);
  }
}

/**
 * Refuses a privileged app role: a superuser can switch the audit triggers off or run shell commands,
 * an owner can drop the triggers. `allow` (SANAD_ALLOW_PRIVILEGED_DB_ROLE=true) turns the refusal
 * into a loud warning, for development only. Returns the warnings to print.
 */
export function checkAppRole(f: RoleFacts, opts: { allow: boolean }): string[] {
  const problems: string[] = [];
  if (f.superuser) problems.push(`the database role "${f.name}" is a superuser (it could switch off the audit triggers and run shell commands)`);
  if (f.bypassRls) problems.push(`the database role "${f.name}" bypasses row-level security`);
  if (f.createRole) problems.push(`the database role "${f.name}" may create roles`);
  if (f.ownsTables) problems.push(`the database role "${f.name}" owns Sanad's tables (it could drop the audit triggers)`);
  if (problems.length === 0) return [];
  const advice =
    'Connect the app with a role that neither owns the tables nor is a superuser (DATABASE_URL), and give the owner to migrations (DATABASE_OWNER_URL); see docs/OPERATIONS.md, "Database roles".';
  if (!opts.allow) throw new Error(`refusing to start: ${problems.join('; ')}. ${advice} (SANAD_ALLOW_PRIVILEGED_DB_ROLE=true overrides this for development only.)`);
  return problems.map((p) => `SECURITY WARNING: ${p}. ${advice}`);
}
