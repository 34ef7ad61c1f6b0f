/**
 * `npm test`: starts a database for the run (embedded PostgreSQL in a temp dir, or a fresh database on
 * TEST_DATABASE_URL's server), migrates it once, runs the unit and integration suites with node's test
 * runner, then the browser suite in Debian's Chromium (skipped with a clear notice when Chromium is
 * missing, except under CI=true where that fails).
 */
import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import crypto from 'node:crypto';
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { startEmbedded, type EmbeddedServer } from '../src/server/db/embedded.ts';
import { connect } from '../src/server/db/connection.ts';
import { ensureChains } from '../src/server/audit/log.ts';
import { SYSTEM_TENANT_ID } from '../src/server/db/schema.ts';
import { ensureLoginRole } from '../src/server/db/roles.ts';
import { prepareSchema } from '../src/server/services.ts';

const args = process.argv.slice(2);
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;
/** `--match text`: only test files whose path contains the text (for working on one suite). */
const match = args.includes('--match') ? args[args.indexOf('--match') + 1] : undefined;
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const root = path.resolve(import.meta.dirname, '..');

function findTests(dir: string, suffix: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...findTests(p, suffix));
    else if (e.name.endsWith(suffix)) out.push(p);
  }
  return out.sort();
}

/**
 * A fresh database for the run, migrated by the server's owner role; the suites connect as a run-only
 * login role that owns nothing and is no superuser, as the app does in production.
 */
async function makeDatabase(): Promise<{ url: string; ownerUrl: string; label: string; cleanup: () => Promise<void> }> {
  const name = `sanad_test_${Date.now()}_${crypto.randomBytes(3).toString('hex')}`;
  let server: EmbeddedServer | undefined;
  let tmp: string | undefined;
  let base = process.env.TEST_DATABASE_URL;
  let label = 'TEST_DATABASE_URL';
  if (!base) {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-test-'));
    server = await startEmbedded(tmp, { quiet: true });
    base = server.url;
    label = 'embedded PostgreSQL';
  }
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const version = (await admin.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  await admin.end();
  const u = new URL(base);
  u.pathname = `/${name}`;
  const ownerUrl = u.toString();
  const appRole = `sanad_test_app_${crypto.randomBytes(4).toString('hex')}`;
  const appPassword = crypto.randomBytes(18).toString('base64url');
  const { db } = connect(ownerUrl, 2);
  await ensureLoginRole(db, appRole, appPassword);
  await prepareSchema(db, appRole);
  await ensureChains(db, SYSTEM_TENANT_ID);
  await db.destroy();
  const app = new URL(ownerUrl);
  app.username = appRole;
  app.password = appPassword;
  return {
    url: app.toString(),
    ownerUrl,
    label: `${label} (PostgreSQL ${version})`,
    cleanup: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`).catch(() => undefined);
      // Databases made by freshDatabase() are gone by now; a leftover one keeps the role (harmless).
      await c.query(`drop role if exists ${appRole}`).catch(() => undefined);
      await c.end();
      await server?.stop();
      if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}

function run(files: string[], env: NodeJS.ProcessEnv, concurrency: number): number {
  if (files.length === 0) return 0;
  if (match) files = files.filter((f) => f.includes(match));
  if (files.length === 0) return 0;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files], {
    stdio: 'inherit',
    env,
    cwd: root,
  });
  return r.status ?? 1;
}

const t0 = Date.now();
const db = await makeDatabase();
process.stdout.write(`# database: ${db.label}\n`);
let failed = 0;
try {
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-keys-'));
  const env = {
    ...process.env,
    SANAD_TEST_DB_URL: db.url,
    SANAD_TEST_OWNER_URL: db.ownerUrl,
    SANAD_TEST_KEY_DIR: keyDir,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  };
  if (only !== 'browser') {
    const files = [...findTests(path.join(root, 'test'), '.test.ts'), ...findTests(path.join(root, 'src'), '.test.ts')];
    failed += run(files, env, 2);
  }
  if (only !== 'unit') {
    const files = findTests(path.join(root, 'test', 'e2e'), '.e2e.ts');
    if (!fs.existsSync(CHROMIUM)) {
      const msg = `# BROWSER SUITE SKIPPED: Chromium not found at ${CHROMIUM} (apt-get install -y chromium)`;
      process.stdout.write(`\n${msg}\n`);
      if (process.env.CI === 'true') {
        process.stdout.write('# CI=true: a missing Chromium is a failure\n');
        failed += 1;
      }
    } else {
      failed += run(files, env, 1);
    }
  }
  fs.rmSync(keyDir, { recursive: true, force: true });
} finally {
  await db.cleanup();
}
process.stdout.write(
  `\n# npm test finished in ${((Date.now() - t0) / 1000).toFixed(1)} s — ${failed ? 'FAILED' : 'all suites passed'}\n`,
);
process.exit(failed ? 1 : 0);
