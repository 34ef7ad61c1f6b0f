/** Configuration is validated at start; the app refuses a privileged database role and cannot tamper as its own role. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ConfigError, loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/server/services.ts';
import { checkAppRole, roleFacts } from '../src/server/db/roles.ts';
import { closeShared, ownerDb, shared$, testConfig } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
before(async () => {
  ctx = await shared$();
});
after(closeShared);

/** The variables a ConfigError names. */
function failing(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (e) {
    assert.ok(e instanceof ConfigError, String(e));
    return e.problems.map((p) => p.variable);
  }
  return [];
}

test('configuration: values that would silently weaken a control stop the start, naming the variable', () => {
  assert.deepEqual(failing({ SANAD_SESSION_IDLE_MINUTES: '15m' }), ['SANAD_SESSION_IDLE_MINUTES']);
  assert.deepEqual(failing({ SANAD_SESSION_IDLE_MINUTES: '0' }), ['SANAD_SESSION_IDLE_MINUTES']);
  assert.deepEqual(failing({ SANAD_SESSION_ABSOLUTE_HOURS: '12h' }), ['SANAD_SESSION_ABSOLUTE_HOURS']);
  assert.deepEqual(failing({ PORT: 'eighty' }), ['PORT']);
  assert.deepEqual(failing({ SANAD_SECURE_COOKIES: 'yes' }), ['SANAD_SECURE_COOKIES']);
  assert.deepEqual(failing({ LOG_LEVEL: 'verbose' }), ['LOG_LEVEL']);
  assert.deepEqual(failing({ DATABASE_URL: 'mysql://x' }), ['DATABASE_URL']);
  assert.deepEqual(failing({ SANAD_PUBLIC_URL: 'https://ok.example, not a url' }), ['SANAD_PUBLIC_URL']);
  assert.deepEqual(failing({ SANAD_DB_ACQUIRE_TIMEOUT_MS: '-1' }), ['SANAD_DB_ACQUIRE_TIMEOUT_MS']);
  assert.deepEqual(failing({ SANAD_TRUST_PROXY: '1' }), ['SANAD_TRUST_PROXY']);
  assert.deepEqual(failing({ SANAD_DEMO: 'False' }), ['SANAD_DEMO'], 'a near miss must not switch demo data on');
  assert.deepEqual(failing({ SANAD_MASTER_KEY: 'c2hvcnQ=' }), ['SANAD_MASTER_KEY']);
  assert.deepEqual(
    failing({ DATABASE_OWNER_URL: 'postgres://o@h/db' }),
    ['DATABASE_OWNER_URL'],
    'the owner URL alone makes no sense',
  );
  // Several problems are reported together.
  assert.deepEqual(failing({ PORT: 'x', SANAD_SESSION_IDLE_MINUTES: '1.5' }).sort(), [
    'PORT',
    'SANAD_SESSION_IDLE_MINUTES',
  ]);
  try {
    loadConfig({ SANAD_SESSION_IDLE_MINUTES: '15m' });
  } catch (e) {
    assert.match((e as Error).message, /SANAD_SESSION_IDLE_MINUTES: must be a whole number/);
  }
  // Good values and defaults.
  const c = loadConfig({ SANAD_SESSION_IDLE_MINUTES: ' 1 ', PORT: '', SANAD_SECURE_COOKIES: 'false' });
  assert.equal(c.sessionIdleMinutes, 1);
  assert.equal(c.port, 3000);
  assert.equal(c.secureCookies, false);
  assert.equal(c.dbAcquireTimeoutMs, 5_000);
});

test('the app connects as a role that is neither superuser nor owner, and cannot tamper with the audit log', async () => {
  const f = await roleFacts(ctx.services.db);
  assert.deepEqual(
    { superuser: f.superuser, ownsTables: f.ownsTables, bypassRls: f.bypassRls, createRole: f.createRole },
    { superuser: false, ownsTables: false, bypassRls: false, createRole: false },
  );
  const denied = (e: { code?: string }) => e.code === '42501';
  const db = ctx.services.db;
  await assert.rejects(sql`copy (select 1) to program 'true'`.execute(db), denied);
  await assert.rejects(sql`set session_replication_role = replica`.execute(db), denied);
  await assert.rejects(sql`update audit_events set action = 'x' where false`.execute(db), denied);
  await assert.rejects(sql`delete from audit_events where false`.execute(db), denied);
  await assert.rejects(sql`truncate audit_events`.execute(db), denied);
  await assert.rejects(sql`alter table audit_events disable trigger user`.execute(db), denied);
  await assert.rejects(sql`drop trigger audit_events_append_only on audit_events`.execute(db), denied);
  await assert.rejects(sql`create table sneaky (id int)`.execute(db), denied);
  await assert.rejects(
    sql`insert into sanad_migrations (name, timestamp) values ('9999-x', now()::text)`.execute(db),
    denied,
  );
  // It can still do its work: read, append audit events (through the app), write case tables.
  assert.ok((await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(db)).rows[0]!.n >= 0);
});

test('a superuser or owning role is refused at start (unless explicitly allowed for development)', async () => {
  const ownerFacts = await roleFacts(ownerDb());
  assert.ok(ownerFacts.ownsTables || ownerFacts.superuser);
  assert.throws(() => checkAppRole(ownerFacts, { allow: false }), /refusing to start: .*DATABASE_OWNER_URL/);
  assert.match(checkAppRole(ownerFacts, { allow: true }).join('\n'), /SECURITY WARNING/);
  const asOwner = testConfig({ databaseUrl: process.env.SANAD_TEST_OWNER_URL, databaseOwnerUrl: undefined });
  await assert.rejects(createServices(asOwner, { migrate: false, quiet: true, poolSize: 2 }), /refusing to start/);
  const allowed = await createServices(
    { ...asOwner, allowPrivilegedDbRole: true },
    { migrate: false, quiet: true, poolSize: 2 },
  );
  await allowed.close();
});
