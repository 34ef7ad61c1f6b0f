/**
 * `npm run bench`: the API against its floor, per scenario, at fixed connection counts.
 *
 *  - The server runs as production runs it (`node dist/server/main.js serve`, compiled, one worker per
 *    core), in its own processes, on generated synthetic data (bench/data.ts).
 *  - The load comes from another process: autocannon, keep-alive, 1, 8 and 32 connections (bench/load.ts).
 *  - The floor of each scenario is what the database alone costs for the same call: before measuring,
 *    the server runs once in a recording mode and the statements of one real call of the scenario are
 *    captured with their connections (transactions); another process replays them with fresh
 *    parameters from as many concurrent pg clients as the API had connections (bench/floor.ts).
 *  - Reported per scenario and connection count: p50, p95, p99 and req/s of both, the API/floor ratio,
 *    the server's CPU time per request (all its processes, from /proc) and its RSS per worker;
 *    written to bench-results/<timestamp>.json and .csv, and printed as a table.
 *
 * Options: --full (100k participants, 2M sessions), --quick (1,000 participants, one connection count,
 * 3 s: a smoke run), --participants N, --sessions N, --scenarios a,b, --connections 1,8,32,
 * --seconds N (8), --workers N (one per core), --out DIR (bench-results). Uses BENCH_DATABASE_URL (an
 * owner or superuser; the app then runs as a login role the bench creates) if set, else a throwaway
 * embedded PostgreSQL.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { startEmbedded } from '../src/server/db/embedded.ts';
import { connect } from '../src/server/db/connection.ts';
import { ensureLoginRole } from '../src/server/db/roles.ts';
import { loadConfig } from '../src/server/config.ts';
import { createServices } from '../src/server/services.ts';
import { ensureChains } from '../src/server/audit/log.ts';
import { SYSTEM_TENANT_ID } from '../src/server/db/schema.ts';
import type { RecordedStatement } from '../src/server/cluster.ts';
import { generate, type Fixtures } from './data.ts';
import { SCENARIOS, scenario, type Ctx, type Scenario } from './scenarios.ts';
import type { Side } from './stats.ts';
import { cpuMs, family, rssMb } from './procstat.ts';
import type { LoadJob } from './load.ts';
import type { FloorJob } from './floor.ts';

const root = path.resolve(import.meta.dirname, '..');
const { values: opt } = parseArgs({
  options: {
    participants: { type: 'string' },
    sessions: { type: 'string' },
    connections: { type: 'string' },
    seconds: { type: 'string' },
    scenarios: { type: 'string' },
    workers: { type: 'string' },
    out: { type: 'string' },
    full: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
  },
});
const num = (v: string | undefined, name: string, dflt: number): number => {
  if (v === undefined) return dflt;
  if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`--${name} must be a positive whole number`);
  return Number(v);
};
const N = opt.full ? 100_000 : num(opt.participants, 'participants', opt.quick ? 1_000 : 20_000);
const SESSIONS = opt.full ? 2_000_000 : num(opt.sessions, 'sessions', N * (opt.quick ? 5 : 20));
const CONNECTIONS = (opt.connections ?? (opt.quick ? '8' : '1,8,32')).split(',').map((c) => num(c, 'connections', 1));
const SECONDS = num(opt.seconds, 'seconds', opt.quick ? 3 : 8);
const WORKERS = num(opt.workers, 'workers', os.availableParallelism());
const chosen: Scenario[] = opt.scenarios ? opt.scenarios.split(',').map((n) => scenario(n.trim())) : SCENARIOS;
const OUT = path.resolve(opt.out ?? path.join(root, 'bench-results'));
const say = (m: string) => process.stderr.write(`${m}\n`);

// --- database: the owner migrates and writes the bulk data; the server and the floor use the app role.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-'));
// As root, the embedded PostgreSQL runs as the `postgres` user, which must be able to traverse it.
fs.chmodSync(tmp, 0o711);
let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined;
let ownerUrl: string;
let appUrl: string;
let dropRole: (() => Promise<void>) | undefined;
if (process.env.BENCH_DATABASE_URL) {
  ownerUrl = process.env.BENCH_DATABASE_URL;
  const role = `sanad_bench_app_${crypto.randomBytes(4).toString('hex')}`;
  const password = crypto.randomBytes(18).toString('base64url');
  const { db } = connect(ownerUrl, 1);
  await ensureLoginRole(db, role, password);
  await db.destroy();
  const u = new URL(ownerUrl);
  u.username = role;
  u.password = password;
  appUrl = u.toString();
  dropRole = async () => {
    const c = new pg.Client({ connectionString: ownerUrl });
    await c.connect();
    await c.query(`drop owned by ${role}`).catch(() => undefined);
    await c.query(`drop role if exists ${role}`).catch(() => undefined);
    await c.end();
  };
} else {
  say('starting an embedded PostgreSQL…');
  embedded = await startEmbedded(path.join(tmp, 'db'), { quiet: true });
  ownerUrl = embedded.ownerUrl;
  appUrl = embedded.appUrl;
}
const keyFile = path.join(tmp, 'master.key');
process.env.SANAD_DEV = 'true';
const config = {
  ...loadConfig({ SANAD_DEMO: 'false' }),
  databaseUrl: appUrl,
  databaseOwnerUrl: ownerUrl,
  masterKeyFile: keyFile,
  dataDir: path.join(tmp, 'data'),
};
let fx: Fixtures;
{
  const services = await createServices(config, { migrate: true, poolSize: 8, quiet: true });
  await ensureChains(services.db, SYSTEM_TENANT_ID);
  const owner = connect(ownerUrl, 8);
  try {
    const t0 = Date.now();
    fx = await generate(services, owner, config, {
      participants: N,
      sessions: SESSIONS,
      searchers: chosen.some((s) => s.name === 'duplicate-search') ? (opt.quick ? 100 : 600) : 1,
      quiet: !process.stderr.isTTY,
    });
    say(`data: ${N} participants, ${SESSIONS} sessions in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  } finally {
    await owner.db.destroy();
    await services.close();
  }
}

// --- the server, compiled, as `npm start` runs it
{
  const b = spawnSync(process.execPath, [path.join(root, 'scripts/build-server.mjs'), '--if-stale'], {
    stdio: 'inherit',
  });
  if (b.status !== 0) throw new Error('building the server failed');
}
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const origin = base;
interface Server {
  child: ChildProcess;
  stop(): Promise<void>;
}
async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [path.join(root, 'dist/server/main.js'), 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATABASE_URL: appUrl,
      DATABASE_OWNER_URL: ownerUrl,
      SANAD_MASTER_KEY_FILE: keyFile,
      SANAD_DATA_DIR: config.dataDir,
      SANAD_DEMO: 'false',
      SANAD_PUBLIC_URL: origin,
      // Sessions of the bench's accounts must outlive a long run without being used.
      SANAD_SESSION_IDLE_MINUTES: '1440',
      SANAD_DB_POOL_SIZE: '40',
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setInterval(() => {
      if (out.includes('is running at')) {
        clearInterval(t);
        resolve();
      }
    }, 50);
    child.once('exit', (code) => {
      clearInterval(t);
      reject(new Error(`the server exited (${code}) before it listened:\n${out.slice(-3000)}`));
    });
  });
  return {
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await done;
    },
  };
}

async function call(
  method: string,
  p: string,
  cookie: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<{ status: number; text: string }> {
  const res = await fetch(base + p, {
    method,
    headers: { cookie, origin, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...extra },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, text: await res.text() };
}

async function send(part: Scenario, i: number, ctx: Ctx, extra: Record<string, string> = {}): Promise<void> {
  const r = part.request(fx, i, origin, ctx);
  const res = await fetch(base + r.path, { method: r.method, headers: { ...r.headers, ...extra }, body: r.body });
  const text = await res.text();
  part.onResponse?.(ctx, res.status, text);
  if (res.status !== part.status)
    throw new Error(`${part.name}: ${r.method} ${r.path} → ${res.status} ${text.slice(0, 300)}`);
}

/** Data some scenarios need made through the API first: goals to edit, an open quiz attempt. */
async function prepare(names: string[]): Promise<void> {
  const slots = Math.max(...CONNECTIONS);
  if (names.includes('goal-edit')) {
    // One goal per API connection, per floor client, and one for the recorded call; each on its own participant.
    fx.goals = [];
    for (let k = 0; k < 2 * slots + 1; k++) {
      const participant = fx.mine[k % fx.mine.length]!;
      const r = await call('POST', `/api/v1/participants/${participant}/goals`, fx.cookies.caseManager, {
        domain: 'ideological',
        title: `Bench goal ${k}`,
      });
      if (r.status !== 201) throw new Error(`creating a goal → ${r.status} ${r.text.slice(0, 300)}`);
      const g = JSON.parse(r.text) as { id: string; version: number };
      fx.goals.push({ id: g.id, participant, version: g.version });
    }
  }
  if (names.includes('quiz-autosave')) {
    const r = await call(
      'POST',
      `/api/v1/academy/enrolments/${fx.enrolmentId}/modules/${fx.moduleId}/attempts`,
      fx.cookies.learner,
    );
    if (r.status !== 201) throw new Error(`starting a quiz attempt → ${r.status} ${r.text.slice(0, 300)}`);
    type Item = {
      id: string;
      kind: string;
      options?: { id: string }[];
      lefts?: { id: string }[];
      rights?: { id: string }[];
    };
    const a = JSON.parse(r.text) as { id: string; items: Item[] };
    const answer = (i: Item): unknown =>
      i.kind === 'truefalse'
        ? { value: true }
        : i.kind === 'multiple'
          ? { choices: [i.options![0]!.id] }
          : i.lefts
            ? { pairs: Object.fromEntries(i.lefts.map((l, k) => [l.id, i.rights![k % i.rights!.length]!.id])) }
            : { choice: i.options![0]!.id };
    fx.quiz = a.items.map((i) => ({ attemptId: a.id, itemId: i.id, answer: answer(i) }));
    // The quiz allows 20 minutes; a long bench run measures this scenario later than that.
    const c = new pg.Client({ connectionString: ownerUrl });
    await c.connect();
    await c.query("update academy_attempts set deadline_at = now() + interval '1 day' where id = $1", [a.id]);
    await c.end();
  }
}

// --- recording: one warm-up call and one recorded call of every scenario involved, on one worker
const parts = [...new Set(chosen.flatMap((s) => (s.mix ? s.mix : [s.name])))].map(scenario);
const recordDir = path.join(tmp, 'recorded');
fs.mkdirSync(recordDir);
const recordings: Record<string, RecordedStatement[]> = {};
const recordedVars: Record<string, Record<string, string>> = {};
// Connection slots: the API's from 0, the floor's from here, the recording's last.
const FLOOR_SLOT = Math.max(...CONNECTIONS);
{
  say('recording the statements of one call of each scenario…');
  const server = await startServer({ SANAD_WORKERS: '1', SANAD_BENCH_RECORD: recordDir });
  try {
    await prepare(parts.map((p) => p.name));
    for (const part of parts) {
      const ctx: Ctx = { slot: 2 * FLOOR_SLOT };
      await send(part, 0, ctx);
      await send(part, 1, ctx, { 'x-sanad-record': part.name });
      recordedVars[part.name] = part.vars?.(fx, 1, ctx) ?? {};
      recordings[part.name] = JSON.parse(
        fs.readFileSync(path.join(recordDir, `${part.name}.json`), 'utf8'),
      ) as RecordedStatement[];
    }
  } finally {
    await server.stop();
  }
}

// --- measuring
function child<T>(script: string, job: unknown): Promise<T> {
  const file = path.join(tmp, `job-${crypto.randomBytes(4).toString('hex')}.json`);
  fs.writeFileSync(file, JSON.stringify(job));
  return new Promise((resolve, reject) => {
    const c = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench', script), file], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.on('exit', (code) => {
      fs.rmSync(file, { force: true });
      const last = out.trim().split('\n').pop();
      if (code !== 0 || !last) return reject(new Error(`${script} failed (${code}): ${err.slice(-2000)}`));
      resolve(JSON.parse(last) as T);
    });
  });
}

interface Row {
  scenario: string;
  kind: Scenario['kind'];
  connections: number;
  api: Side;
  floor: Side | null;
  /** API over floor: latency ratios (p50, p95) and the floor's throughput over the API's. */
  ratio: { p50: number; p95: number; rps: number } | null;
  floorStatements: number;
  /** Why there is no floor, when there is none. */
  note?: string;
  serverCpuMsPerRequest: number;
  serverRssMb: { maxWorker: number; total: number };
}
const rows: Row[] = [];
const server = await startServer({ SANAD_WORKERS: String(WORKERS) });
const pgVersion = await (async () => {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  const v = (await c.query<{ v: string }>("select current_setting('server_version') v")).rows[0]!.v;
  await c.end();
  return v;
})();
try {
  for (const sc of chosen) {
    const recs = Object.fromEntries((sc.mix ?? [sc.name]).map((n) => [n, recordings[n]!]));
    const statements = sc.mix
      ? sc.mix.reduce((a, n) => a + recordings[n]!.length, 0) / sc.mix.length
      : recordings[sc.name]!.length;
    for (const connections of CONNECTIONS) {
      say(`running ${sc.name} at ${connections} connection${connections === 1 ? '' : 's'}…`);
      if (fx.goals) {
        // Each load process starts from the versions the goals have now (the previous run moved them on).
        const c = new pg.Client({ connectionString: ownerUrl });
        await c.connect();
        const r = await c.query<{ id: string; version: number }>('select id, version from goals where id = any($1)', [
          fx.goals.map((g) => g.id),
        ]);
        await c.end();
        const v = new Map(r.rows.map((x) => [x.id, x.version]));
        for (const g of fx.goals) g.version = v.get(g.id) ?? g.version;
      }
      const pids = family(server.child.pid!);
      const before = cpuMs(pids);
      const api = await child<Side>('load.ts', {
        base,
        origin,
        scenario: sc.name,
        connections,
        seconds: SECONDS,
        fixtures: fx,
      } satisfies LoadJob);
      const after = cpuMs(pids);
      const rss = rssMb(pids.slice(1));
      let cpu = 0;
      for (const [pid, ms] of after) cpu += ms - (before.get(pid) ?? ms);
      const floor =
        statements > 0
          ? await child<Side>('floor.ts', {
              databaseUrl: appUrl,
              scenario: sc.name,
              connections,
              seconds: SECONDS,
              fixtures: fx,
              recordings: recs,
              recordedVars,
              firstSlot: FLOOR_SLOT,
            } satisfies FloorJob)
          : null;
      const r2 = (n: number) => Math.round(n * 100) / 100;
      rows.push({
        scenario: sc.name,
        kind: sc.kind,
        connections,
        api,
        floor,
        ratio:
          floor && floor.requests > 0
            ? { p50: r2(api.p50 / floor.p50), p95: r2(api.p95 / floor.p95), rps: r2(floor.rps / api.rps) }
            : null,
        floorStatements: r2(statements),
        ...(floor ? {} : { note: 'the recorded call sent no SQL (e.g. the health probe, cached for a second)' }),
        serverCpuMsPerRequest: api.requests ? r2(cpu / api.requests) : NaN,
        serverRssMb: {
          maxWorker: Math.max(0, ...rss.values()),
          total: r2([...rss.values()].reduce((a, b) => a + b, 0)),
        },
      });
    }
  }
} finally {
  await server.stop();
  await embedded?.stop();
  await dropRole?.();
  fs.rmSync(tmp, { recursive: true, force: true });
}

// --- results
const meta = {
  date: new Date().toISOString(),
  participants: N,
  sessions: SESSIONS,
  seconds: SECONDS,
  workers: WORKERS,
  cores: os.availableParallelism(),
  loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
  node: process.version,
  postgres: pgVersion,
  database: process.env.BENCH_DATABASE_URL ? 'BENCH_DATABASE_URL' : 'embedded',
};
fs.mkdirSync(OUT, { recursive: true });
const stamp = meta.date.replace(/[:.]/g, '-');
const jsonFile = path.join(OUT, `${stamp}.json`);
// What each floor replays (statement texts and their connections; parameters left out).
const statements = Object.fromEntries(
  Object.entries(recordings).map(([name, rec]) => [
    name,
    rec.map((s) => `#${s.conn} ${s.text.replace(/\s+/g, ' ').trim().slice(0, 160)}`),
  ]),
);
fs.writeFileSync(jsonFile, JSON.stringify({ meta, rows, statements }, null, 2) + '\n');
const csvHead = [
  'scenario',
  'kind',
  'connections',
  'api_requests',
  'api_errors',
  'api_rps',
  'api_p50_ms',
  'api_p95_ms',
  'api_p99_ms',
  'floor_requests',
  'floor_errors',
  'floor_rps',
  'floor_p50_ms',
  'floor_p95_ms',
  'floor_p99_ms',
  'ratio_p50',
  'ratio_p95',
  'floor_statements',
  'server_cpu_ms_per_request',
  'server_rss_mb_max_worker',
];
const csv = [
  csvHead.join(','),
  ...rows.map((r) =>
    [
      r.scenario,
      r.kind,
      r.connections,
      r.api.requests,
      r.api.errors,
      r.api.rps,
      r.api.p50,
      r.api.p95,
      r.api.p99,
      r.floor?.requests ?? '',
      r.floor?.errors ?? '',
      r.floor?.rps ?? '',
      r.floor?.p50 ?? '',
      r.floor?.p95 ?? '',
      r.floor?.p99 ?? '',
      r.ratio?.p50 ?? '',
      r.ratio?.p95 ?? '',
      r.floorStatements,
      r.serverCpuMsPerRequest,
      r.serverRssMb.maxWorker,
    ].join(','),
  ),
].join('\n');
fs.writeFileSync(path.join(OUT, `${stamp}.csv`), csv + '\n');

const w = (v: string | number | undefined, n: number) => String(v ?? '–').padStart(n);
process.stdout.write(
  `\nSanad bench — ${N} participants, ${SESSIONS} sessions, ${WORKERS} workers on ${meta.cores} cores, ${SECONDS} s per run, PostgreSQL ${pgVersion}, load ${meta.loadAverage.join(' ')}\n`,
);
process.stdout.write(
  `${'scenario'.padEnd(17)}${w('conn', 5)} |${w('API p50', 9)}${w('p95', 8)}${w('p99', 8)}${w('req/s', 8)} |${w('floor p50', 10)}${w('p95', 8)}${w('p99', 8)}${w('req/s', 8)} |${w('×p50', 6)}${w('×p95', 6)} |${w('cpu ms/req', 11)}${w('RSS MB', 7)}${w('err', 5)}\n`,
);
for (const r of rows) {
  process.stdout.write(
    `${r.scenario.padEnd(17)}${w(r.connections, 5)} |${w(r.api.p50, 9)}${w(r.api.p95, 8)}${w(r.api.p99, 8)}${w(Math.round(r.api.rps), 8)} |${w(r.floor?.p50, 10)}${w(r.floor?.p95, 8)}${w(r.floor?.p99, 8)}${w(r.floor ? Math.round(r.floor.rps) : undefined, 8)} |${w(r.ratio?.p50, 6)}${w(r.ratio?.p95, 6)} |${w(r.serverCpuMsPerRequest, 11)}${w(r.serverRssMb.maxWorker, 7)}${w(r.api.errors + (r.floor?.errors ?? 0), 5)}\n`,
  );
}
process.stdout.write(
  `(ms; the floor replays the SQL the API sent for one call of the scenario, same transactions, fresh parameters, same concurrency; results in ${path.relative(root, jsonFile)} and .csv)\n`,
);
for (const r of rows)
  for (const e of [...r.api.errorSamples, ...(r.floor?.errorSamples ?? [])])
    process.stderr.write(`error in ${r.scenario}@${r.connections}: ${e}\n`);
process.exit(0);
