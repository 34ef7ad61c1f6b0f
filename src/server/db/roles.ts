/**
 * The two database roles. The **owner** owns the schema and runs migrations and maintenance; the
 * **app** role serves requests and may only read and write rows: it owns nothing, is no superuser, and
 * cannot create roles or databases, bypass row-level security, disable triggers, `COPY … TO PROGRAM`
 * or change `session_replication_role`. On the audit tables it may only read and append.
 */
import crypto from 'node:crypto';
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
  createDb: boolean;
  replication: boolean;
  /** Whether the role owns (or is a member of a role that owns) a table of the public schema. */
  ownsTables: boolean;
  /** Whether it owns the database, or may create objects in the public schema (PostgreSQL 15+: the database owner may). */
  ownsSchema: boolean;
  /** Predefined roles that reach files, programs or other sessions (pg_execute_server_program, …). */
  dangerousMemberships: string[];
}

/** Predefined roles an app role must not hold: files and programs on the server, signalling other sessions. */
const DANGEROUS_ROLES = [
  'pg_execute_server_program',
  'pg_write_server_files',
  'pg_read_server_files',
  'pg_signal_backend',
];

/** Reads what the connection's role may do, including through role membership. */
export async function roleFacts(db: Db): Promise<RoleFacts> {
  const r = await sql<{
    name: string;
    superuser: boolean;
    bypass: boolean;
    createrole: boolean;
    createdb: boolean;
    replication: boolean;
    owns: boolean;
    owns_schema: boolean;
    dangerous: string[];
  }>`
    select r.rolname as name, r.rolsuper as superuser, r.rolbypassrls as bypass, r.rolcreaterole as createrole,
      r.rolcreatedb as createdb, r.rolreplication as replication,
      exists (select 1 from pg_tables t where t.schemaname = 'public' and pg_has_role(current_user, t.tableowner, 'MEMBER')) as owns,
      (has_schema_privilege('public', 'CREATE')
        or exists (select 1 from pg_database d where d.datname = current_database() and pg_has_role(current_user, d.datdba, 'MEMBER'))) as owns_schema,
      array(select g from unnest(${DANGEROUS_ROLES}::text[]) g where pg_has_role(current_user, g, 'MEMBER')) as dangerous
    from pg_roles r where r.rolname = current_user`.execute(db);
  const f = r.rows[0]!;
  return {
    name: f.name,
    superuser: f.superuser,
    bypassRls: f.bypass,
    createRole: f.createrole,
    createDb: f.createdb,
    replication: f.replication,
    ownsTables: f.owns,
    ownsSchema: f.owns_schema,
    dangerousMemberships: f.dangerous,
  };
}

/** Creates (or re-passwords) a login role with no privileges beyond logging in; run as a role that may create roles. */
export async function ensureLoginRole(owner: Db, name: string, password: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid role name ${name}`);
  const exists = await sql<{ n: number }>`select count(*)::int as n from pg_roles where rolname = ${name}`.execute(
    owner,
  );
  // Role DDL takes no bind parameters. The statement carries a SCRAM verifier, never the password
  // itself (so a server logging DDL does not log it); its alphabet (base64, $, :, digits) needs no quoting.
  const verifier = scramVerifier(password);
  if (!/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/.test(verifier))
    throw new Error('unexpected SCRAM verifier');
  const verb = exists.rows[0]!.n === 0 ? 'create' : 'alter';
  await sql
    .raw(
      `${verb} role ${name} login nosuperuser nocreatedb nocreaterole noinherit nobypassrls noreplication password '${verifier}'`,
    )
    .execute(owner);
}

/** A SCRAM-SHA-256 verifier for a password (RFC 5802/7677), in the form PostgreSQL stores and accepts. */
export function scramVerifier(password: string, salt = crypto.randomBytes(16), iterations = 4096): string {
  const salted = crypto.pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const hmac = (key: Buffer, text: string) => crypto.createHmac('sha256', key).update(text).digest();
  const storedKey = crypto.createHash('sha256').update(hmac(salted, 'Client Key')).digest();
  const serverKey = hmac(salted, 'Server Key');
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/**
 * Grants the app role what it needs on every table of the schema (run after each migration, as the
 * owner): read and write rows, except the append-only audit tables and the migration bookkeeping.
 */
export async function grantAppRole(owner: Db, appRole: string): Promise<void> {
  // Nodes and CLI commands starting together would otherwise fail with "tuple concurrently updated".
  await owner.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(${GRANT_LOCK})`.execute(tx);
    await grantIn(tx, appRole);
  });
}

/** Arbitrary, fixed: serialises grants between processes. */
const GRANT_LOCK = 0x5a4af;

/** Tables whose rows the app may read and add to but never change: keys (a forged signing key would sign anything). */
const INSERT_ONLY = ['tenant_keys'];
/** Tables the app may only read (the owner writes them: the signing key at start, rotations from the CLI). */
const READ_ONLY = ['signing_keys'];

async function grantIn(owner: Db, appRole: string): Promise<void> {
  const role = sql.id(appRole);
  await sql`grant usage on schema public to ${role}`.execute(owner);
  await sql`grant select, insert, update, delete on all tables in schema public to ${role}`.execute(owner);
  await sql`grant usage, select on all sequences in schema public to ${role}`.execute(owner);
  await sql`revoke truncate, references, trigger on all tables in schema public from ${role}`.execute(owner);
  for (const t of [...APPEND_ONLY, ...INSERT_ONLY])
    await sql`revoke update, delete on ${sql.table(t)} from ${role}`.execute(owner);
  for (const t of READ_ONLY) await sql`revoke insert, update, delete on ${sql.table(t)} from ${role}`.execute(owner);
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
  const who = `the database role "${f.name}"`;
  if (f.superuser)
    problems.push(`${who} is a superuser (it could switch off the audit triggers and run shell commands)`);
  if (f.bypassRls) problems.push(`${who} bypasses row-level security`);
  if (f.createRole) problems.push(`${who} may create roles`);
  if (f.createDb) problems.push(`${who} may create databases`);
  if (f.replication) problems.push(`${who} is a replication role`);
  if (f.ownsTables)
    problems.push(`${who} owns Sanad's tables, or is a member of their owner (it could drop the audit triggers)`);
  if (f.ownsSchema)
    problems.push(
      `${who} owns the database or may create objects in its public schema (it could drop or replace tables)`,
    );
  if (f.dangerousMemberships.length)
    problems.push(
      `${who} is a member of ${f.dangerousMemberships.join(', ')} (server files, programs or other sessions)`,
    );
  if (problems.length === 0) return [];
  const advice =
    'Connect the app with a role that neither owns the tables nor is a superuser (DATABASE_URL), and give the owner to migrations (DATABASE_OWNER_URL); see docs/OPERATIONS.md, "Database roles".';
  if (!opts.allow)
    throw new Error(
      `refusing to start: ${problems.join('; ')}. ${advice} (SANAD_ALLOW_PRIVILEGED_DB_ROLE=true overrides this for development only.)`,
    );
  return problems.map((p) => `SECURITY WARNING: ${p}. ${advice}`);
}
