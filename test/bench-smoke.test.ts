/**
 * Smoke run of `npm run bench -- --quick` on tiny data, one read and one write scenario: the result
 * files have their shape, and both the API (autocannon against the compiled server) and the floor
 * (the recorded statements replayed) did requests without errors. No timing is asserted.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';

const root = path.resolve(import.meta.dirname, '..');
const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

test('the bench measures the API and its floor for a read and a write scenario', async () => {
  const base = process.env.SANAD_TEST_OWNER_URL;
  assert.ok(base, 'run with npm test (it provides SANAD_TEST_OWNER_URL)');
  const name = `sanad_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  cleanups.push(async () => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  const u = new URL(base);
  u.pathname = `/${name}`;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-bench-smoke-'));
  cleanups.push(async () => fs.rmSync(out, { recursive: true, force: true }));

  const run = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      path.join(root, 'bench/run.ts'),
      '--quick',
      '--participants',
      '60',
      '--sessions',
      '300',
      '--scenarios',
      'participant,intake',
      '--connections',
      '2',
      '--seconds',
      '1',
      '--out',
      out,
    ],
    { cwd: root, env: { ...process.env, BENCH_DATABASE_URL: u.toString() }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let log = '';
  run.stdout.on('data', (d: Buffer) => (log += d.toString()));
  run.stderr.on('data', (d: Buffer) => (log += d.toString()));
  const code = await new Promise<number | null>((r) => run.on('exit', r));
  assert.equal(code, 0, log);

  const files = fs.readdirSync(out).sort();
  assert.equal(files.length, 2, files.join(', '));
  const json = files.find((f) => f.endsWith('.json'))!;
  const csv = files.find((f) => f.endsWith('.csv'))!;
  assert.equal(json.replace(/\.json$/, ''), csv.replace(/\.csv$/, ''));

  interface SideShape {
    requests: number;
    errors: number;
    rps: number;
    p50: number;
    p95: number;
    p99: number;
  }
  const result = JSON.parse(fs.readFileSync(path.join(out, json), 'utf8')) as {
    meta: { participants: number; workers: number; postgres: string };
    rows: {
      scenario: string;
      kind: string;
      connections: number;
      api: SideShape;
      floor: SideShape | null;
      ratio: { p50: number; p95: number } | null;
      serverCpuMsPerRequest: number;
      serverRssMb: { maxWorker: number };
    }[];
    statements: Record<string, string[]>;
  };
  assert.equal(result.meta.participants, 60);
  assert.ok(result.meta.workers >= 1);
  assert.deepEqual(
    result.rows.map((r) => [r.scenario, r.kind, r.connections]),
    [
      ['participant', 'read', 2],
      ['intake', 'write', 2],
    ],
  );
  for (const r of result.rows) {
    assert.ok(r.api.requests > 0, `${r.scenario}: the API answered requests`);
    assert.equal(r.api.errors, 0, `${r.scenario}: API errors`);
    assert.ok(r.floor, `${r.scenario}: a floor was measured`);
    assert.ok(r.floor.requests > 0, `${r.scenario}: the floor replayed the statements`);
    assert.equal(r.floor.errors, 0, `${r.scenario}: floor errors`);
    for (const side of [r.api, r.floor])
      for (const k of ['rps', 'p50', 'p95', 'p99'] as const) assert.ok(Number.isFinite(side[k]), `${r.scenario} ${k}`);
    assert.ok(r.ratio && Number.isFinite(r.ratio.p50) && Number.isFinite(r.ratio.p95));
    assert.ok(Number.isFinite(r.serverCpuMsPerRequest));
    assert.ok(r.serverRssMb.maxWorker > 0);
  }
  // The floor was derived from the API's own statements: the audited read's transaction holds the audit append.
  const participant = result.statements.participant!.join('\n');
  assert.match(participant, /#\d+ begin/);
  assert.match(participant, /from audit_chains .* for update skip locked/);
  assert.match(participant, /#\d+ commit/);
  assert.match(result.statements.intake!.join('\n'), /insert into "participants"/);

  const lines = fs.readFileSync(path.join(out, csv), 'utf8').trim().split('\n');
  assert.equal(lines.length, 3);
  assert.match(lines[0]!, /^scenario,kind,connections,api_requests,api_errors,api_rps,api_p50_ms/);
  assert.match(lines[1]!, /^participant,read,2,\d+,0,/);
  assert.match(lines[2]!, /^intake,write,2,\d+,0,/);
  assert.match(log, /participant\s+2 \|/);
});
