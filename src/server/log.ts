/** Structured JSON logging. Never pass personal data or secrets: only ids, codes and counts. */

type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
let threshold: Level = (process.env.LOG_LEVEL as Level) ?? 'info';

/** Keys whose values are never written to a log line, whatever the caller passes. */
const REDACT = /pass|secret|token|cookie|authorization|notes|name|email|key/i;

function clean(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) out[k] = REDACT.test(k) && k !== 'requestId' ? '[redacted]' : v;
  return out;
}

/** Sets the lowest level written. */
export function setLogLevel(level: Level): void {
  threshold = level;
}

/** Writes one JSON log line to stderr (stdout is kept for CLI output). */
export function log(level: Level, msg: string, fields: Record<string, unknown> = {}): void {
  if (ORDER[level] < ORDER[threshold]) return;
  process.stderr.write(JSON.stringify({ t: new Date().toISOString(), level, msg, ...clean(fields) }) + '\n');
}
