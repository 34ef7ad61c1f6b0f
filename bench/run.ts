/**
 * `npm run bench`: API latency next to the raw SQL of the same query, on generated synthetic data,
 * with concurrent clients over real HTTP. Options: --participants N (default 20000), --clients N (32),
 * --seconds N (5 per scenario). Uses BENCH_DATABASE_URL if set, else a throwaway embedded PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { startEmbedded } from '../src/server/db/embedded.ts';
import { connect } from '../src/server/db/connection.ts';
import { migrateToLatest } from '../src/server/db/migrate.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/server/services.ts';
import { createApp } from '../src/server/app.ts';
import { ensureChains } from '../src/server/audit/log.ts';
import { SYSTEM_TENANT_ID } from '../src/server/db/schema.ts';
import { createSession } from '../src/server/modules/auth/sessions.ts';
import { participantCode } from '../src/core/codes.ts';
import { progressBar } from '../src/cli/progress.ts';

const { values: opt } = parseArgs({ options: { participants: { type: 'string', default: '20000' }, clients: { type: 'string', default: '32' }, seconds: { type: 'string', default: '5' } } });
const N = Number(opt.participants);
const CLIENTS = Number(opt.clients);
const SECONDS = Number(opt.seconds);

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

/** Runs `fn` from `clients` concurrent loops for `seconds`; returns latency percentiles in ms. */
async function measure(fn: (i: number) => Promise<void>): Promise<{ n: number; p50: number; p95: number; rps: number }> {
  const lat: number[] = [];
  const end = performance.now() + SECONDS * 1000;
  let i = 0;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        await fn(i++);
        lat.push(performance.now() - t0);
      }
    }),
  );
  lat.sort((a, b) => a - b);
  return { n: lat.length, p50: pct(lat, 50), p95: pct(lat, 95), rps: lat.length / SECONDS };
}

let tmp: string | undefined;
let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined;
let url = process.env.BENCH_DATABASE_URL;
if (!url) {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-'));
  embedded = await startEmbedded(tmp, { quiet: true });
  url = embedded.url;
}
const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-keys-'));
process.env.SANAD_DEV = 'true';
{
  const { db } = connect(url, 2);
  await migrateToLatest(db);
  await ensureChains(db, SYSTEM_TENANT_ID);
  await db.destroy();
}
const port = 3700 + Math.floor(Math.random() * 200);
const config = { ...loadConfig({ PORT: String(port), SANAD_DEMO: 'false' }), databaseUrl: url, masterKeyFile: path.join(keyDir, 'master.key') };
const services = await createServices(config, { migrate: false, poolSize: 40, quiet: true });
const s = services;

// --- synthetic data: one tenant, 10 teams, one case manager in team 0, N participants spread over teams
const slug = `bench-${crypto.randomBytes(3).toString('hex')}`;
const tenant = await s.db.insertInto('tenants').values({ slug, name: 'Bench (synthetic)' }).returning('id').executeTakeFirstOrThrow();
await ensureChains(s.db, tenant.id);
await s.fields.ensureTenantKey(s.db, tenant.id);
const teams = await s.db.insertInto('teams').values(Array.from({ length: 10 }, (_, i) => ({ tenant_id: tenant.id, name: `Team ${i}` }))).returning('id').execute();
const user = await s.db.insertInto('users').values({ tenant_id: tenant.id, email: `cm@${slug}.example`, display_name: 'Bench CM', roles: ['case_manager'], status: 'active', is_demo: true }).returning('id').executeTakeFirstOrThrow();
await s.db.insertInto('team_members').values({ team_id: teams[0]!.id, user_id: user.id, tenant_id: tenant.id }).execute();
const bar = progressBar(`generating ${N} participants`);
const mine: string[] = [];
for (let done = 0; done < N; ) {
  const batch = [];
  for (let k = 0; k < 1000 && done < N; k++, done++) {
    const id = crypto.randomUUID();
    const team = teams[done % teams.length]!.id;
    if (team === teams[0]!.id) mine.push(id);
    batch.push({ id, tenant_id: tenant.id, code: participantCode(crypto.randomBytes(6)) + String(done % 10), team_id: team, notes: await s.fields.encrypt({ tenantId: tenant.id, table: 'participants', field: 'notes', rowId: id }, `Synthetic note ${done}`), created_by: user.id });
  }
  await s.db.insertInto('participants').values(batch).onConflict((oc) => oc.doNothing()).execute();
  bar.update(done, N);
}
bar.stop();
await s.database.pool.query('analyze');

const token = await createSession(s.db, config, { id: user.id, tenant_id: tenant.id }, { mfaPassed: true });
const app = createApp(s);
const server = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' });
const base = `http://127.0.0.1:${port}`;
const headers = { cookie: `sanad_session=${token}`, origin: `http://localhost:${port}` };
const raw = s.database.pool;

async function get(p: string) {
  const r = await fetch(base + p, { headers });
  if (r.status !== 200) throw new Error(`${p} → ${r.status} ${await r.text()}`);
  await r.arrayBuffer();
}

const rows: { name: string; api: Awaited<ReturnType<typeof measure>>; sql?: Awaited<ReturnType<typeof measure>> }[] = [];
const scenarios: { name: string; api: (i: number) => Promise<void>; sql?: (i: number) => Promise<void> }[] = [
  {
    name: 'GET /participants (caseload page, 50)',
    api: () => get('/api/v1/participants?limit=50'),
    sql: async () => {
      await raw.query('select * from participants where tenant_id = $1 and team_id = any($2) order by created_at desc, id desc limit 51', [tenant.id, [teams[0]!.id]]);
    },
  },
  {
    name: 'GET /participants/{id} (audited, decrypted)',
    api: (i) => get(`/api/v1/participants/${mine[i % mine.length]}`),
    sql: async (i) => {
      await raw.query('select * from participants where tenant_id = $1 and team_id = any($2) and id = $3', [tenant.id, [teams[0]!.id], mine[i % mine.length]]);
    },
  },
  {
    name: 'POST /participants (encrypted, audited)',
    api: async () => {
      const r = await fetch(`${base}/api/v1/participants`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ teamId: teams[0]!.id, notes: 'Synthetic bench note' }) });
      if (r.status !== 201) throw new Error(`POST → ${r.status}`);
      await r.arrayBuffer();
    },
    sql: async () => {
      await raw.query("insert into participants (tenant_id, code, team_id, created_by) values ($1, $2, $3, $4)", [tenant.id, participantCode(crypto.randomBytes(6)) + 'X', teams[0]!.id, user.id]);
    },
  },
  { name: 'GET /api/health', api: () => get('/api/health') },
];
for (const sc of scenarios) {
  process.stderr.write(`running: ${sc.name}\n`);
  rows.push({ name: sc.name, api: await measure(sc.api), sql: sc.sql ? await measure(sc.sql) : undefined });
}

const f = (n: number) => n.toFixed(2).padStart(8);
process.stdout.write(`\nSanad bench — ${N} participants, ${CLIENTS} concurrent clients, ${SECONDS} s per run, PostgreSQL ${(await raw.query("select current_setting('server_version') v")).rows[0].v}\n`);
process.stdout.write(`${'scenario'.padEnd(46)} ${'API p50'.padStart(8)} ${'API p95'.padStart(8)} ${'API rps'.padStart(8)} | ${'SQL p50'.padStart(8)} ${'SQL p95'.padStart(8)} | p50 ratio\n`);
for (const r of rows) {
  process.stdout.write(`${r.name.padEnd(46)} ${f(r.api.p50)} ${f(r.api.p95)} ${r.api.rps.toFixed(0).padStart(8)} | ${r.sql ? `${f(r.sql.p50)} ${f(r.sql.p95)} | ${(r.api.p50 / r.sql.p50).toFixed(1)}×` : `${''.padStart(8)} ${''.padStart(8)} |`}\n`);
}
process.stdout.write('(milliseconds; raw SQL runs the same query through the same pool without HTTP, auth, scope or audit)\n');

server.close();
await services.close();
await embedded?.stop();
if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
fs.rmSync(keyDir, { recursive: true, force: true });
process.exit(0);
