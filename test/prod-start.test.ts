/**
 * The production start: the compiled server (dist/server, no tsx) with two workers sharing one port
 * answers from both, and SIGTERM lets a request in flight finish before every process exits with 0.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import net from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import pg from 'pg';
import { freshDatabase } from './helpers.ts';

const root = path.resolve(import.meta.dirname, '..');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** One GET on a new connection (no keep-alive, so the primary hands each to the next worker). */
function get(port: number, p: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: p, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
  });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null)
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

test('npm start runs compiled JavaScript in 2 workers and drains a request in flight on SIGTERM', async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts/build-server.mjs'), '--if-stale'], {
    cwd: root,
    encoding: 'utf8',
  });
  assert.equal(build.status, 0, build.stderr);
  const main = path.join(root, 'dist/server/main.js');
  assert.ok(fs.existsSync(main), 'dist/server/main.js was built');

  const fresh = await freshDatabase();
  cleanups.push(fresh.drop);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-prod-'));
  cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const child = spawn(process.execPath, [main, 'serve'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      PORT: String(port),
      DATABASE_URL: fresh.url,
      DATABASE_OWNER_URL: fresh.ownerUrl,
      SANAD_MASTER_KEY_FILE: fresh.keyFile,
      SANAD_DATA_DIR: dir,
      SANAD_DEV: 'true',
      SANAD_DEMO: 'false',
      SANAD_WORKERS: '2',
      SANAD_WORKER_HEADER: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
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
    void exited(child).then(({ code }) => {
      clearInterval(t);
      reject(new Error(`the server exited (${code}) before it listened:\n${out}`));
    });
  });
  assert.match(out, /2 workers/);
  // The process tree runs node on compiled files, never tsx.
  assert.doesNotMatch(fs.readFileSync(`/proc/${child.pid}/cmdline`, 'utf8'), /tsx/);

  // Both workers answer on the shared port.
  const seen = new Set<string>();
  for (let i = 0; i < 40 && seen.size < 2; i++) {
    const r = await get(port, '/api/health');
    assert.equal(r.status, 200, r.body);
    assert.equal((JSON.parse(r.body) as { status: string }).status, 'ok');
    const w = r.headers['x-sanad-worker'];
    assert.ok(typeof w === 'string' && /^\d+$/.test(w), 'the debug header names the worker by number');
    seen.add(w);
  }
  assert.equal(seen.size, 2, `answers came from workers ${[...seen].join(', ')}`);

  // A slow request: the health probe waits on a lock the test holds.
  const owner = new pg.Client({ connectionString: fresh.ownerUrl });
  await owner.connect();
  const watcher = new pg.Client({ connectionString: fresh.ownerUrl });
  await watcher.connect();
  cleanups.push(() => owner.end());
  cleanups.push(() => watcher.end());
  await new Promise((r) => setTimeout(r, 1_200)); // past the health probe's one-second cache
  await owner.query('begin');
  await owner.query('lock table tenants in access exclusive mode');
  const inFlight = get(port, '/api/health');
  for (let i = 0; ; i++) {
    const w = await watcher.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'sanad-health' and wait_event_type = 'Lock'`,
    );
    if (w.rows[0]!.n > 0) break;
    assert.ok(i < 200, 'the health request reached the database');
    await new Promise((r) => setTimeout(r, 10));
  }
  child.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(child.exitCode, null, 'the server waits for the request in flight');
  await owner.query('commit');
  const r = await inFlight;
  assert.equal(r.status, 200, r.body);
  assert.equal((JSON.parse(r.body) as { status: string }).status, 'ok');
  const end = await exited(child);
  assert.deepEqual(end, { code: 0, signal: null }, out);
  assert.match(out, /"msg":"stopped"/);
  // No new connection is accepted once it has stopped.
  await assert.rejects(get(port, '/api/health'));
});
