/**
 * The embedded PostgreSQL: the app logs in as a role that is neither superuser nor owner, a server left
 * behind by a Sanad process that was killed is taken over on the next start, a live one is refused,
 * and a postmaster that dies under a running Sanad is restarted without an operator.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import pg from 'pg';
import { startEmbedded, EMBEDDED_APP_ROLE } from '../src/server/db/embedded.ts';

const root = path.resolve(import.meta.dirname, '..');

/** Starts the child stand-in and resolves once its PostgreSQL accepts connections. */
function startChild(dir: string): Promise<{ pid: number; kill: () => void }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(root, 'test/fixtures/embedded-child.ts'), dir],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready ')) resolve({ pid: child.pid!, kill: () => child.kill('SIGKILL') });
    });
    child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
  });
}

async function one(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  await c.connect();
  try {
    return (await c.query<{ n: number }>('select 1 as n')).rows[0]!.n;
  } finally {
    await c.end();
  }
}

function postmasterPid(dir: string): number {
  return Number(fs.readFileSync(path.join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0]);
}

test(
  'embedded: the app role is no superuser; a killed Sanad’s server is taken over; a dead postmaster comes back; a stale pid file harms nobody',
  { timeout: 240_000 },
  async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-embedded-'));
    let child: Awaited<ReturnType<typeof startChild>> | undefined;
    let server: Awaited<ReturnType<typeof startEmbedded>> | undefined;
    try {
      child = await startChild(dir);
      // A live Sanad owns the server: a second start is refused with a clear message.
      await assert.rejects(startEmbedded(dir, { quiet: true }), /Another Sanad \(or PostgreSQL\) is already running/);
      const orphan = postmasterPid(dir);
      // kill -9 of the Sanad process leaves its PostgreSQL running…
      child.kill();
      await new Promise((r) => setTimeout(r, 300));
      assert.doesNotThrow(() => process.kill(orphan, 0), 'the orphaned postmaster is still alive');
      // …and the next start stops it safely and starts afresh, without an operator.
      server = await startEmbedded(dir, { quiet: true });
      assert.notEqual(postmasterPid(dir), orphan);
      assert.equal(await one(server.appUrl), 1);

      // The app role: login only, no superuser, no shell, no replication role switch.
      const app = new pg.Client({ connectionString: server.appUrl });
      await app.connect();
      try {
        const r = await app.query<{ rolsuper: boolean; rolcreaterole: boolean; rolbypassrls: boolean }>(
          'select rolsuper, rolcreaterole, rolbypassrls from pg_roles where rolname = current_user',
        );
        assert.deepEqual(r.rows[0], { rolsuper: false, rolcreaterole: false, rolbypassrls: false });
        assert.equal(new URL(server.appUrl).username, EMBEDDED_APP_ROLE);
        await assert.rejects(
          app.query(`copy (select 1) to program 'true'`),
          (e: { code?: string }) => e.code === '42501',
        );
        await assert.rejects(
          app.query('set session_replication_role = replica'),
          (e: { code?: string }) => e.code === '42501',
        );
      } finally {
        await app.end();
      }
      assert.equal((fs.statSync(path.join(dir, 'pg-app-password')).mode & 0o777).toString(8), '600');

      // The postmaster dies under a running Sanad: it is restarted on the same port.
      const before = postmasterPid(dir);
      process.kill(before, 'SIGKILL');
      const deadline = Date.now() + 60_000;
      let back = false;
      while (Date.now() < deadline && !back) {
        await new Promise((r) => setTimeout(r, 500));
        back = await one(server.appUrl).then(
          () => true,
          () => false,
        );
      }
      assert.ok(back, 'the embedded PostgreSQL came back within 60 s');
      assert.notEqual(postmasterPid(dir), before);
      await server.stop();
      server = undefined;

      // After a reboot, a stale postmaster.pid can name any live process: it is never signalled.
      const bystander = spawn('sleep', ['60'], { stdio: 'ignore' });
      try {
        const lines = ['' + bystander.pid, path.join(dir, 'pg'), '0', '54999', '', '127.0.0.1', '', 'ready', ''];
        fs.writeFileSync(path.join(dir, 'pg', 'postmaster.pid'), lines.join('\n'));
        // PostgreSQL itself decides whether the pid file is stale (it ignores another OS user's process);
        // either way Sanad must not have signalled the process the file names.
        const outcome = await startEmbedded(dir, { quiet: true }).then(
          (started) => started,
          (e: Error) => e,
        );
        if (!(outcome instanceof Error)) await outcome.stop();
        else assert.match(outcome.message, /already running/);
        assert.equal(bystander.exitCode, null, 'the unrelated process is still running');
        assert.equal(bystander.signalCode, null);
        assert.doesNotThrow(() => process.kill(bystander.pid!, 0));
      } finally {
        bystander.kill('SIGKILL');
      }
    } finally {
      child?.kill();
      await server?.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  },
);
