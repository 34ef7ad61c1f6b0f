/** Runtime configuration read once from the environment. */
import path from 'node:path';

/** Settings every part of the server reads; built from the environment by loadConfig. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
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
  version: string;
}

/** Reads configuration from environment variables, applying safe defaults for local use. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const dataDir = path.resolve(env.SANAD_DATA_DIR ?? './data');
  const port = Number(env.PORT ?? 3000);
  const publicUrl = env.SANAD_PUBLIC_URL;
  const origins = publicUrl
    ? publicUrl.split(',').map((u) => new URL(u.trim()).origin)
    : [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    dataDir,
    databaseUrl: env.DATABASE_URL || undefined,
    masterKeyFile: path.resolve(env.SANAD_MASTER_KEY_FILE ?? path.join(dataDir, 'master.key')),
    publicOrigins: origins,
    secureCookies: env.SANAD_SECURE_COOKIES ? env.SANAD_SECURE_COOKIES === 'true' : origins.every((o) => o.startsWith('https:')),
    demo: env.SANAD_DEMO ? env.SANAD_DEMO !== 'false' : !env.DATABASE_URL,
    logLevel: (env.LOG_LEVEL as Config['logLevel']) ?? 'info',
    sessionIdleMinutes: Number(env.SANAD_SESSION_IDLE_MINUTES ?? 15),
    sessionAbsoluteHours: Number(env.SANAD_SESSION_ABSOLUTE_HOURS ?? 12),
    version: process.env.npm_package_version ?? '0.1.0',
  };
}
