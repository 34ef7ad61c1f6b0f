/**
 * Opens the database: the embedded PostgreSQL by default, or any PostgreSQL ≥ 15 via DATABASE_URL.
 *
 * Two roles: the **owner** runs migrations and maintenance (restore); the **app** role that serves
 * requests neither owns the tables nor is a superuser (see `roles.ts`). Every pool is guarded: a query
 * on a pool from inside a transaction callback throws at once (it would otherwise wait for a second
 * connection while holding the first, and enough of them deadlock the pool), waiting for a connection
 * is bounded, and PostgreSQL ends runaway statements and forgotten open transactions.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { Kysely, PostgresDialect, type TransactionBuilder } from 'kysely';
import { startEmbedded } from './embedded.ts';
import { log } from '../log.ts';
import type { DB, Db } from './schema.ts';

// bigint (int8) as string, never as a rounded JS number.
pg.types.setTypeParser(20, (v) => v);
// date as the YYYY-MM-DD it is, never shifted by the server's time zone.
pg.types.setTypeParser(1082, (v) => v);

/** An open database with its mode and a close function that also stops an embedded server. */
export interface Database {
  /** The app role's pool (the owner's when opened with `asOwner`). */
  db: Db;
  pool: pg.Pool;
  mode: 'embedded' | 'external';
  /** The app role's connection string (the owner's when opened with `asOwner`). */
  url: string;
  /** The owner's connection string, for migrations and grants; undefined when the app's role is also the owner. */
  ownerUrl?: string;
  /**
   * Asks the database whether it is up and holds a demo tenant, within about two seconds, on a pool of
   * its own (so a saturated app pool does not make the health check hang); null when it does not answer.
   */
  ping(): Promise<{ demo: boolean } | null>;
  close(): Promise<void>;
}

/** Pool limits and the timeouts PostgreSQL enforces on each connection. */
export interface PoolOptions {
  max?: number;
  /** Wait for a free connection at most this long (ms); then the query fails with PoolTimeoutError. */
  acquireTimeoutMs?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  applicationName?: string;
}

/** Thrown when code asks a pool for a connection while running inside a transaction callback. */
export class PoolInTransactionError extends Error {
  constructor() {
    super('a query used the connection pool inside an open transaction; use the transaction instead');
    this.name = 'PoolInTransactionError';
  }
}

/** Thrown when no pooled connection became free within the acquire timeout (answered as 503). */
export class PoolTimeoutError extends Error {
  constructor() {
    super('no database connection became free in time');
    this.name = 'PoolTimeoutError';
  }
}

/** Marks the async context of a transaction callback (see `guardTransactions`). */
const inTransaction = new AsyncLocalStorage<true>();

/** Whether the current code runs inside a transaction callback of a guarded Kysely instance. */
export function insideTransaction(): boolean {
  return inTransaction.getStore() === true;
}

/** Builds a guarded Kysely instance over a new pg pool for the given connection string. */
export function connect(url: string, opts: PoolOptions | number = {}): { db: Db; pool: pg.Pool } {
  const o: PoolOptions = typeof opts === 'number' ? { max: opts } : opts;
  const pool = new pg.Pool({
    connectionString: url,
    max: o.max ?? 20,
    idleTimeoutMillis: 30_000,
    connectionTimeoutMillis: o.acquireTimeoutMs ?? 0,
    application_name: o.applicationName ?? 'sanad',
    ...(o.statementTimeoutMs ? { statement_timeout: o.statementTimeoutMs } : {}),
    ...(o.idleInTransactionTimeoutMs ? { idle_in_transaction_session_timeout: o.idleInTransactionTimeoutMs } : {}),
  });
  // A connection cut by the server (restart, pg_terminate_backend, idle-in-transaction timeout) must
  // not crash the process: pg emits 'error' on idle clients (the pool's) and on checked-out clients
  // (no listener by default while lent out). The query in flight fails and the pool drops the client.
  // The per-client listener below logs it once; the pool's own 'error' (idle clients) must only be heard.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => {
    client.on('error', (e: Error & { code?: string }) =>
      log('warn', 'database connection lost', { pgCode: e.code, errMessage: e.message.slice(0, 200) }),
    );
  });
  guardPool(pool);
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  guardTransactions(db);
  return { db, pool };
}

/** Makes `pool.connect` (which Kysely and `pool.query` use) refuse inside a transaction and name its timeout. */
function guardPool(pool: pg.Pool): void {
  const original = pool.connect.bind(pool) as (
    cb?: (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void,
  ) => Promise<pg.PoolClient> | void;
  const translate = (e: unknown): unknown =>
    e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message) ? new PoolTimeoutError() : e;
  (pool as unknown as { connect: unknown }).connect = (
    cb?: (err: Error | undefined, client?: pg.PoolClient, done?: () => void) => void,
  ) => {
    if (insideTransaction()) {
      const limit = Error.stackTraceLimit;
      Error.stackTraceLimit = 40;
      const err = new PoolInTransactionError();
      Error.stackTraceLimit = limit;
      // The frames that matter are Sanad's own, below Kysely's and pg's.
      const own = err.stack
        ?.split('\n')
        .filter((l) => l.trim().startsWith('at ') && !l.includes('node_modules') && !l.includes('db/connection.ts'));
      log('error', 'pool used inside a transaction', { stack: own?.slice(0, 6).join(' | ') });
      if (cb) return void cb(err);
      return Promise.reject(err);
    }
    if (cb) return original((err, client, done) => cb(err ? (translate(err) as Error) : undefined, client, done));
    return (original() as Promise<pg.PoolClient>).catch((e: unknown) => {
      throw translate(e);
    });
  };
}

/** Runs every `db.transaction().execute(fn)` callback in a marked async context (see `guardPool`). */
function guardTransactions(db: Db): void {
  const original = db.transaction.bind(db);
  const wrap = (b: TransactionBuilder<DB>): TransactionBuilder<DB> =>
    new Proxy(b, {
      get(target, prop, receiver) {
        if (prop === 'execute') {
          return <T>(fn: Parameters<TransactionBuilder<DB>['execute']>[0]) =>
            target.execute((tx) => inTransaction.run(true, () => fn(tx)) as Promise<T>);
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        // setIsolationLevel / setAccessMode return a new builder: keep it guarded.
        return (...args: unknown[]) => {
          const r = (v as (...a: unknown[]) => unknown).apply(target, args);
          return r && typeof r === 'object' && 'execute' in r ? wrap(r as TransactionBuilder<DB>) : r;
        };
      },
    });
  (db as unknown as { transaction: () => TransactionBuilder<DB> }).transaction = () => wrap(original());
  // Controlled transactions would escape the guard; Sanad does not use them.
  (db as unknown as { startTransaction: () => never }).startTransaction = () => {
    throw new Error('startTransaction is not used in Sanad: use db.transaction().execute(fn)');
  };
}

/** Whether PostgreSQL rolled a transaction back for a conflict that a second run can pass (deadlock, serialization). */
export function isRetryable(e: unknown): boolean {
  const code = (e as { code?: string } | undefined)?.code;
  return code === '40P01' || code === '40001';
}

/** Whether an error means the database is unreachable or overloaded right now (answered as 503, not 500). */
export function isUnavailable(e: unknown): boolean {
  if (e instanceof PoolTimeoutError) return true;
  const err = e as { code?: string; message?: string } | undefined;
  const code = err?.code ?? '';
  // 08: connection exception; 57P01-57P03: admin shutdown, crash shutdown, cannot connect now;
  // 53300: too many connections; 57014: statement cancelled (statement_timeout); 25P03: idle in transaction timeout.
  if (isRetryable(e)) return true;
  if (
    /^08/.test(code) ||
    ['57P01', '57P02', '57P03', '53300', '57014', '25P03', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(
      code,
    )
  )
    return true;
  return /Connection terminated|Client has encountered a connection error|connect ECONNREFUSED|not queryable/i.test(
    err?.message ?? '',
  );
}

/** Opens the configured database, starting the embedded server first when no URL is given. */
export async function openDatabase(opts: {
  dataDir: string;
  databaseUrl?: string;
  databaseOwnerUrl?: string;
  pool?: PoolOptions;
  quiet?: boolean;
  attach?: boolean;
  /** Connect as the owner (migrations, restore) instead of the app role. */
  asOwner?: boolean;
}): Promise<Database> {
  const health = (url: string) => {
    const h = connect(url, {
      max: 1,
      acquireTimeoutMs: 2_000,
      statementTimeoutMs: 2_000,
      applicationName: 'sanad-health',
    });
    // One probe at a time, its answer shared for a second: a flood of anonymous health checks must
    // not queue on the one connection and turn a healthy database into a 503.
    let last: { at: number; value: Promise<{ demo: boolean } | null> } | undefined;
    const probe = async (): Promise<{ demo: boolean } | null> => {
      let timer: NodeJS.Timeout | undefined;
      try {
        const q = h.pool.query<{ demo: boolean }>('select exists (select 1 from tenants where is_demo) as demo');
        const late = new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new PoolTimeoutError()), 2_500)),
        );
        const r = await Promise.race([q, late]);
        return { demo: r.rows[0]?.demo === true };
      } catch {
        return null;
      } finally {
        clearTimeout(timer);
      }
    };
    return {
      ping: () => {
        if (!last || Date.now() - last.at > 1_000) last = { at: Date.now(), value: probe() };
        return last.value;
      },
      close: () => h.db.destroy(),
    };
  };
  const server = opts.databaseUrl
    ? undefined
    : await startEmbedded(opts.dataDir, { quiet: opts.quiet, attach: opts.attach });
  const ownerUrl = server ? server.ownerUrl : opts.databaseOwnerUrl;
  const url = server
    ? opts.asOwner
      ? server.ownerUrl
      : server.appUrl
    : opts.asOwner && ownerUrl
      ? ownerUrl
      : opts.databaseUrl!;
  const { db, pool } = connect(url, opts.pool);
  const h = health(url);
  return {
    db,
    pool,
    mode: server ? 'embedded' : 'external',
    url,
    ownerUrl,
    ping: h.ping,
    close: async () => {
      await h.close();
      await db.destroy();
      await server?.stop();
    },
  };
}
