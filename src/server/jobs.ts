/**
 * Periodic maintenance that exactly one app node runs at a time: each run takes a session-level
 * advisory lock with try-lock (released at the end), so a second node skips instead of repeating.
 */
import { sql } from 'kysely';
import { log } from './log.ts';
import { sealAllTenants } from './audit/heads.ts';
import { anchorTenants } from './audit/anchors.ts';
import { pruneThrottles } from './modules/auth/throttle.ts';
import type { Services } from './services.ts';

const LOCK_ID = 0x5a4ad; // arbitrary, fixed

/** Runs one maintenance pass if no other node is running one. Returns whether it ran. */
export async function runMaintenance(s: Services): Promise<boolean> {
  const conn = await s.database.pool.connect();
  try {
    const got = await conn.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LOCK_ID]);
    if (!got.rows[0]?.ok) return false;
    try {
      await pruneThrottles(s.db);
      await sql`delete from user_sessions where expires_at < now() - interval '7 days'`.execute(s.db);
      await sql`delete from idempotency_keys where created_at < now() - interval '1 day'`.execute(s.db);
      const sealed = await sealAllTenants(s);
      if (sealed > 0) log('info', 'signed audit chain heads', { tenants: sealed });
      // Signed anchors outside the database (SANAD_AUDIT_ANCHOR_DIR): what verify checks a rewrite against.
      const anchored = (await anchorTenants(s)).filter((r) => r.records > 0);
      if (anchored.length > 0) log('info', 'anchored audit chains', { tenants: anchored.length, events: anchored.reduce((a, r) => a + r.events, 0) });
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [LOCK_ID]);
    }
    return true;
  } finally {
    conn.release();
  }
}

/** Starts the maintenance timer; returns a function that stops it. */
export function startJobs(s: Services, everyMs = 5 * 60_000): () => void {
  const tick = () => runMaintenance(s).catch((e: unknown) => log('error', 'maintenance failed', { errMessage: e instanceof Error ? e.message : String(e) }));
  const t = setInterval(tick, everyMs);
  t.unref();
  setTimeout(tick, 10_000).unref();
  return () => clearInterval(t);
}
