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
/** How often each node tries to run maintenance (and so to anchor the audit chains). */
export const MAINTENANCE_INTERVAL_MS = 5 * 60_000;
/** After this many runs in a row without the lock, every further skip is logged as a warning. */
export const SKIPS_BEFORE_WARNING = 3;

function message(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).slice(0, 300);
}

/** Runs one step; a failure is logged and does not stop the next steps. */
async function step(name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn();
  } catch (e) {
    log('error', 'maintenance step failed', { step: name, errMessage: message(e) });
  }
}

/**
 * Runs one maintenance pass if no other node is running one. Returns whether it ran. The steps are
 * independent: pruning, signing heads and anchoring each catch and log their own failures, so that
 * (for example) a statement in `audit_heads` that does not verify can never switch off the anchors.
 */
export async function runMaintenance(s: Services): Promise<boolean> {
  const conn = await s.database.pool.connect();
  let broken: Error | undefined;
  try {
    const got = await conn.query<{ ok: boolean }>('select pg_try_advisory_lock($1) as ok', [LOCK_ID]);
    if (!got.rows[0]?.ok) return false;
    try {
      await step('prune', async () => {
        await pruneThrottles(s.db);
        await sql`delete from user_sessions where expires_at < now() - interval '7 days'`.execute(s.db);
        await sql`delete from idempotency_keys where created_at < now() - interval '1 day'`.execute(s.db);
      });
      // Signed anchors outside the database (SANAD_AUDIT_ANCHOR_DIR): what verify checks a rewrite against.
      // First, and whatever happens to the signed heads; each tenant on its own (anchorTenants).
      await step('anchor', async () => {
        const anchored = (await anchorTenants(s)).filter((r) => r.records > 0);
        if (anchored.length > 0)
          log('info', 'anchored audit chains', {
            tenants: anchored.length,
            events: anchored.reduce((a, r) => a + r.events, 0),
          });
      });
      await step('seal', async () => {
        const sealed = await sealAllTenants(s);
        if (sealed.sealed > 0) log('info', 'signed audit chain heads', { tenants: sealed.sealed });
      });
    } finally {
      await conn.query('select pg_advisory_unlock($1)', [LOCK_ID]).catch((e: Error) => {
        broken = e;
      });
    }
    return true;
  } finally {
    conn.release(broken);
  }
}

/** Who holds the maintenance lock, as far as this role may see (for the starvation warning). */
async function lockHolder(s: Services): Promise<Record<string, unknown>> {
  try {
    const r = await sql<{
      pid: number;
      role: string | null;
      app: string | null;
      client: string | null;
      since: Date | null;
    }>`
      select l.pid, a.usename as role, a.application_name as app, a.client_addr::text as client, a.backend_start as since
      from pg_locks l left join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
        and l.classid = 0 and l.objid = ${LOCK_ID} and l.objsubid = 1
      limit 1`.execute(s.db);
    const h = r.rows[0];
    if (!h) return { holder: 'none now (held by runs each time this node tried)' };
    return {
      holderPid: h.pid,
      holderRole: h.role,
      holderApp: h.app,
      holderClient: h.client,
      holderSince: h.since?.toISOString() ?? null,
    };
  } catch (e) {
    return { holderUnknown: message(e) };
  }
}

/**
 * One tick of the maintenance timer: runs maintenance unless a run of this process is still going, and
 * counts the ticks in a row that did not get the lock. Any database login can take the lock and hold
 * it, which would stop maintenance (and so anchoring) on every node in silence: from the
 * `SKIPS_BEFORE_WARNING`th skip on, each skip is logged as a warning naming the holder; verify reports
 * the growing anchor lag as `anchor_stale`. Returns true (ran), false (skipped) or null (failed).
 */
export function maintenanceTicker(
  s: Services,
  opts: { warnAfter?: number; intervalMs?: number } = {},
): () => Promise<boolean | null> {
  const warnAfter = Math.max(1, opts.warnAfter ?? SKIPS_BEFORE_WARNING);
  let skipped = 0;
  let running = false;
  const skip = async (why: string) => {
    skipped++;
    if (skipped >= warnAfter) {
      log(
        'warn',
        'maintenance (signing and anchoring the audit log) has not run for several intervals: the maintenance lock is held elsewhere; find and end that session, or the anchors go stale',
        {
          skippedRuns: skipped,
          minutes: Math.round((skipped * (opts.intervalMs ?? MAINTENANCE_INTERVAL_MS)) / 60_000),
          why,
          lockId: LOCK_ID,
          ...(await lockHolder(s)),
        },
      );
    }
  };
  return async () => {
    if (running) {
      await skip('the previous run on this node is still going');
      return false;
    }
    running = true;
    try {
      if (!(await runMaintenance(s))) {
        await skip('another session holds the lock');
        return false;
      }
      if (skipped >= warnAfter) log('info', 'maintenance ran again after skipped runs', { skippedRuns: skipped });
      skipped = 0;
      return true;
    } catch (e) {
      log('error', 'maintenance failed', { errMessage: message(e) });
      return null;
    } finally {
      running = false;
    }
  };
}

/** Starts the maintenance timer; returns a function that stops it. */
export function startJobs(s: Services, everyMs = MAINTENANCE_INTERVAL_MS): () => void {
  const tick = maintenanceTicker(s, { intervalMs: everyMs });
  const t = setInterval(() => void tick(), everyMs);
  t.unref();
  setTimeout(() => void tick(), 10_000).unref();
  return () => clearInterval(t);
}
