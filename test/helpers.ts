/** Shared test fixtures: services on the run's database, fresh tenants with users, sessions, requests. */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import pg from 'pg';
import path from 'node:path';
import { loadConfig, type Config } from '../src/server/config.ts';
import { createServices, type Services } from '../src/server/services.ts';
import { connect } from '../src/server/db/connection.ts';
import type { Db } from '../src/server/db/schema.ts';
import { createApp } from '../src/server/app.ts';
import { ensureChains } from '../src/server/audit/log.ts';
import { hashPassword } from '../src/server/modules/auth/passwords.ts';
import { createLoginSession as createSession } from '../src/server/modules/auth/login-sessions.ts';
import type { Role } from '../src/core/roles.ts';
import { generateSecret } from 'otplib';
import { frameworkTemplates } from '../src/server/content.ts';

/** The origin test requests claim (allowed by the test config). */
export const ORIGIN = 'http://localhost:3999';
/** A password that passes the policy, used for every test account. */
export const PASSWORD = 'correct horse battery staple 42';

let shared: Promise<{ services: Services; app: ReturnType<typeof createApp> }> | undefined;

/** Test configuration: the run's database and a per-run master key file. */
export function testConfig(over: Partial<Config> = {}): Config {
  const url = process.env.SANAD_TEST_DB_URL;
  if (!url) throw new Error('run tests with `npm test` (it provides SANAD_TEST_DB_URL)');
  const keyDir = process.env.SANAD_TEST_KEY_DIR ?? '/tmp';
  return {
    ...loadConfig({ PORT: '3999', SANAD_DEMO: 'false' }),
    databaseUrl: url,
    databaseOwnerUrl: process.env.SANAD_TEST_OWNER_URL,
    masterKeyFile: path.join(keyDir, 'master.key'),
    ...over,
  };
}

/** Services and app shared by the tests of one file (closed by `closeShared`). */
export function shared$(): Promise<{ services: Services; app: ReturnType<typeof createApp> }> {
  shared ??= (async () => {
    process.env.SANAD_DEV = 'true';
    const services = await createServices(testConfig(), { migrate: false, poolSize: 5, quiet: true });
    return { services, app: createApp(services) };
  })();
  return shared;
}

let owner: Db | undefined;

/**
 * A connection to the run's database as the schema's owner, for tests that play an attacker with
 * database access (disabling triggers, rewriting rows) or check what the app role may not do.
 */
export function ownerDb(): Db {
  const url = process.env.SANAD_TEST_OWNER_URL;
  if (!url) throw new Error('run tests with `npm test` (it provides SANAD_TEST_OWNER_URL)');
  owner ??= connect(url, 2).db;
  return owner;
}

/** Closes the shared services and the owner connection (call in `after`). */
export async function closeShared(): Promise<void> {
  if (shared) await (await shared).services.close();
  shared = undefined;
  await owner?.destroy();
  owner = undefined;
}

/** A user created by `makeTenant`. */
export interface TestUser {
  id: string;
  email: string;
  roles: Role[];
  cookie: string;
  totpSecret: string;
}

/** A fresh tenant with a team and the requested users, each with a ready MFA-passed session. */
export async function makeTenant(
  s: Services,
  users: Record<string, { roles: Role[]; team?: 'a' | 'b' | 'none'; supervisor?: boolean }>,
): Promise<{ tenantId: string; teamA: string; teamB: string; programId: string; users: Record<string, TestUser> }> {
  const slug = `t-${crypto.randomBytes(5).toString('hex')}`;
  const hash = await hashPassword(PASSWORD);
  return s.db.transaction().execute(async (tx) => {
    const t = await tx
      .insertInto('tenants')
      .values({ slug, name: `Test ${slug}` })
      .returning('id')
      .executeTakeFirstOrThrow();
    await ensureChains(tx, t.id);
    await s.fields.ensureTenantKey(tx, t.id);
    const teamA = await tx
      .insertInto('teams')
      .values({ tenant_id: t.id, name: 'A' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const teamB = await tx
      .insertInto('teams')
      .values({ tenant_id: t.id, name: 'B' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const out: Record<string, TestUser> = {};
    for (const [key, spec] of Object.entries(users)) {
      const email = `${key}.${slug}@test.sanad.example`.toLowerCase();
      const id = crypto.randomUUID();
      const totpSecret = generateSecret();
      const totp = await s.fields.encrypt(
        { tenantId: t.id, table: 'users', field: 'totp_secret', rowId: id },
        totpSecret,
        tx,
      );
      const u = await tx
        .insertInto('users')
        .values({
          id,
          tenant_id: t.id,
          email,
          display_name: key,
          password_hash: hash,
          roles: spec.roles,
          status: 'active',
          totp_enabled: true,
          totp_secret: totp,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const team = spec.team ?? 'none';
      if (team !== 'none')
        await tx
          .insertInto('team_members')
          .values({
            team_id: team === 'a' ? teamA.id : teamB.id,
            user_id: u.id,
            tenant_id: t.id,
            membership: spec.supervisor ? 'supervisor' : 'member',
          })
          .execute();
      const token = await createSession(tx, s.config, { id: u.id, tenant_id: t.id }, { mfaPassed: true });
      out[key] = { id: u.id, email, roles: spec.roles, cookie: `sanad_session=${token}`, totpSecret };
    }
    const program = await tx
      .insertInto('programs')
      .values({
        tenant_id: t.id,
        framework: 'community',
        definition: JSON.stringify(frameworkTemplates().get('community')),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    programOfTeam.set(teamA.id, program.id);
    programOfTeam.set(teamB.id, program.id);
    return { tenantId: t.id, teamA: teamA.id, teamB: teamB.id, programId: program.id, users: out };
  });
}

/** The program makeTenant created for a team's tenant (so tests need not carry it around). */
const programOfTeam = new Map<string, string>();

/** A valid intake body for a team, with synthetic identity; fields given override the defaults. */
export function intake(fields: { teamId: string } & Record<string, unknown>): Record<string, unknown> {
  const n = crypto.randomBytes(3).toString('hex');
  return {
    programId: programOfTeam.get(fields.teamId) ?? [...programOfTeam.values()][0],
    legalStatus: 'voluntary',
    languages: ['ar'],
    identity: { givenName: `Test${n}`, familyName: 'Synthetic', dateOfBirth: '1998-05-17' },
    ...fields,
  };
}

/** What `call` answers: status, the parsed JSON body (undefined when there is none or it is not JSON), text, headers. */
export interface CallResult {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on response bodies field by field (see eslint.config.js)
  body: any;
  text: string;
  headers: Headers;
}

/** Sends a request to the app as a browser on Sanad's origin would (JSON body, Origin header). */
export async function call(
  app: ReturnType<typeof createApp>,
  method: string,
  url: string,
  opts: { cookie?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<CallResult> {
  const headers: Record<string, string> = {
    origin: ORIGIN,
    ...(opts.cookie ? { cookie: opts.cookie } : {}),
    ...(opts.headers ?? {}),
  };
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await app.request(url, { method, headers, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  return { status: res.status, body: parsed, text, headers: res.headers };
}

/**
 * A brand-new, migrated database on the test server with its own master key file, for tests that
 * change global state (key rotation, restore). Call `drop()` when done.
 */
export async function freshDatabase(): Promise<{
  services: Services;
  url: string;
  ownerUrl: string;
  keyFile: string;
  drop: () => Promise<void>;
}> {
  const base = process.env.SANAD_TEST_OWNER_URL!;
  const name = `sanad_fresh_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const app = new URL(testConfig().databaseUrl!);
  app.pathname = `/${name}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-fresh-'));
  const keyFile = path.join(dir, 'master.key');
  process.env.SANAD_DEV = 'true';
  const services = await createServices(
    testConfig({ databaseUrl: app.toString(), databaseOwnerUrl: u.toString(), masterKeyFile: keyFile }),
    { migrate: true, poolSize: 3, quiet: true },
  );
  return {
    services,
    url: app.toString(),
    ownerUrl: u.toString(),
    keyFile,
    drop: async () => {
      await services.close();
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
