/**
 * Runtime configuration read once from the environment and validated as a whole: a value that does not
 * parse stops the process with a message naming the variable, never a silent fallback that weakens a
 * control (e.g. `SANAD_SESSION_IDLE_MINUTES=15m` must not switch idle expiry off).
 */
import path from 'node:path';
import { z } from 'zod';

/** Settings every part of the server reads; built from the environment by loadConfig. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** The app's connection (a non-owner, non-superuser role); unset in embedded mode. */
  databaseUrl?: string;
  /** The owner's connection for migrations and maintenance (DATABASE_OWNER_URL); unset: the app's URL. */
  databaseOwnerUrl?: string;
  /** Start even when the app's database role is a superuser or owns the tables (not for production). */
  allowPrivilegedDbRole: boolean;
  masterKeyFile: string;
  /** Origins allowed to send state-changing requests (CSRF defence). */
  publicOrigins: string[];
  /** Whether cookies get the Secure flag (behind https). */
  secureCookies: boolean;
  /** Whether first start seeds the demo tenant. */
  demo: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Connections in the app's pool. */
  dbPoolSize: number;
  /** How long a request waits for a free connection before it answers 503 (ms). */
  dbAcquireTimeoutMs: number;
  /** Longest statement the app may run (ms); PostgreSQL cancels longer ones. */
  dbStatementTimeoutMs: number;
  /** A transaction left idle this long is ended by PostgreSQL (ms). */
  dbIdleInTransactionTimeoutMs: number;
  /** Directory (outside the database) where signed audit chain anchors are appended. */
  auditAnchorDir: string;
  version: string;
}

/** A configuration problem: which variable and why, so the operator can fix it at once. */
export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, 'must be a whole number (no units)')
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const bool = z.enum(['true', 'false'], { error: 'must be true or false' });
const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol);
        } catch {
          return false;
        }
      },
      `must be a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
    );

/** Every variable Sanad reads, with its rule. Unset or empty means the default. */
const ENV = z.object({
  PORT: int(1, 65535).optional(),
  HOST: z.string().trim().min(1).optional(),
  SANAD_DATA_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATABASE_OWNER_URL: url(['postgres:', 'postgresql:']).optional(),
  SANAD_ALLOW_PRIVILEGED_DB_ROLE: bool.optional(),
  SANAD_MASTER_KEY_FILE: z.string().trim().min(1).optional(),
  SANAD_PUBLIC_URL: z
    .string()
    .trim()
    .refine(
      (v) => v.split(',').every((u) => url(['http:', 'https:']).safeParse(u).success),
      'must be one or more http(s) URLs, comma-separated',
    )
    .optional(),
  SANAD_SECURE_COOKIES: bool.optional(),
  SANAD_DEMO: bool.optional(),
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error'], { error: 'must be debug, info, warn or error' }).optional(),
  SANAD_SESSION_IDLE_MINUTES: int(1, 24 * 60).optional(),
  SANAD_SESSION_ABSOLUTE_HOURS: int(1, 24 * 30).optional(),
  SANAD_DB_POOL_SIZE: int(2, 500).optional(),
  SANAD_DB_ACQUIRE_TIMEOUT_MS: int(100, 600_000).optional(),
  SANAD_DB_STATEMENT_TIMEOUT_MS: int(100, 3_600_000).optional(),
  SANAD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(100, 3_600_000).optional(),
  SANAD_AUDIT_ANCHOR_DIR: z.string().trim().min(1).optional(),
  // Read where they are used; validated here so that a typo fails the start instead of being ignored.
  SANAD_TRUST_PROXY: bool.optional(),
  SANAD_DEV: bool.optional(),
  SANAD_MASTER_KEY: z
    .string()
    .trim()
    .refine(
      (v) => /^[A-Za-z0-9+/]+={0,2}$/.test(v) && Buffer.from(v, 'base64').length === 32,
      'must be 32 bytes in base64',
    )
    .optional(),
});

/** Reads configuration from environment variables, applying safe defaults for local use; throws ConfigError. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as shells and container files often leave them.
  const present = Object.fromEntries(
    Object.keys(ENV.shape).flatMap((k) => (env[k] !== undefined && env[k] !== '' ? [[k, env[k]]] : [])),
  );
  const parsed = ENV.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => ({ variable: String(i.path[0] ?? '?'), message: i.message })));
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.SANAD_DATA_DIR ?? './data');
  const port = e.PORT ?? 3000;
  const origins = e.SANAD_PUBLIC_URL
    ? e.SANAD_PUBLIC_URL.split(',').map((u) => new URL(u.trim()).origin)
    : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (e.DATABASE_OWNER_URL && !e.DATABASE_URL) {
    throw new ConfigError([
      { variable: 'DATABASE_OWNER_URL', message: 'is only used together with DATABASE_URL (the app role)' },
    ]);
  }
  return {
    port,
    host: e.HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl: e.DATABASE_URL,
    databaseOwnerUrl: e.DATABASE_OWNER_URL,
    allowPrivilegedDbRole: e.SANAD_ALLOW_PRIVILEGED_DB_ROLE === 'true',
    masterKeyFile: path.resolve(e.SANAD_MASTER_KEY_FILE ?? path.join(dataDir, 'master.key')),
    publicOrigins: origins,
    secureCookies: e.SANAD_SECURE_COOKIES
      ? e.SANAD_SECURE_COOKIES === 'true'
      : origins.every((o) => o.startsWith('https:')),
    demo: e.SANAD_DEMO ? e.SANAD_DEMO === 'true' : !e.DATABASE_URL,
    logLevel: e.LOG_LEVEL ?? 'info',
    sessionIdleMinutes: e.SANAD_SESSION_IDLE_MINUTES ?? 15,
    sessionAbsoluteHours: e.SANAD_SESSION_ABSOLUTE_HOURS ?? 12,
    dbPoolSize: e.SANAD_DB_POOL_SIZE ?? 20,
    dbAcquireTimeoutMs: e.SANAD_DB_ACQUIRE_TIMEOUT_MS ?? 5_000,
    dbStatementTimeoutMs: e.SANAD_DB_STATEMENT_TIMEOUT_MS ?? 30_000,
    dbIdleInTransactionTimeoutMs: e.SANAD_DB_IDLE_IN_TRANSACTION_TIMEOUT_MS ?? 30_000,
    auditAnchorDir: path.resolve(e.SANAD_AUDIT_ANCHOR_DIR ?? path.join(dataDir, 'audit-anchors')),
    version: process.env.npm_package_version ?? '0.1.0',
  };
}
