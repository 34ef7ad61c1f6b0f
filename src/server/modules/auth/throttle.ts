/**
 * Login throttling shared by all app nodes (state in PostgreSQL): exponential lockout per email
 * (known or not, so it reveals nothing), claimed atomically before each check, and a fixed-window
 * rate limit per client address.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import type { Db } from '../../db/schema.ts';

/** Failures allowed before the first lockout. */
export const FREE_FAILURES = 5;
const MAX_LOCK_SECONDS = 3600;

function keyOf(email: string): Buffer {
  return crypto.createHash('sha256').update(`login:${email.trim().toLowerCase()}`).digest();
}

/**
 * Claims one guess for an email BEFORE its password or code is checked, and throws ACCOUNT_LOCKED
 * (without checking anything) while the email is locked. The claim counts as a failure until the
 * caller proves otherwise with `clearFailures`; the claim that reaches FREE_FAILURES sets the lock
 * (1, 2, 4 … minutes, at most an hour) in the same statement, so no later guess is even checked.
 *
 * Why an atomic counter and not a row lock: one `INSERT … ON CONFLICT DO UPDATE … WHERE not locked
 * RETURNING` serialises concurrent claims on the counter row for the length of that one statement,
 * and every claim sees the previous one's count. Locking the row (`SELECT … FOR UPDATE`) across the
 * argon2 check would also be exact, but it keeps a transaction and a pool connection open for each
 * waiting guess during ~50 ms of hashing per guess: a burst against one email would queue idle
 * transactions on the pool and starve unrelated logins and requests. The claim holds nothing while
 * hashing. Unknown emails are claimed the same way, so they cost and answer exactly like known ones.
 */
export async function claimAttempt(db: Db, email: string): Promise<void> {
  const key = keyOf(email);
  const claimed = await sql<{ failures: number }>`
    insert into login_throttle as t (key_hash, failures, locked_until, updated_at)
    values (${key}, 1, null, now())
    on conflict (key_hash) do update set
      failures = t.failures + 1,
      updated_at = now(),
      locked_until = case when t.failures + 1 >= ${FREE_FAILURES}
        then now() + make_interval(secs => least(${MAX_LOCK_SECONDS}, 60 * power(2, t.failures + 1 - ${FREE_FAILURES})))
        else null end
    where t.locked_until is null or t.locked_until <= now()
    returning failures`.execute(db);
  if (claimed.rows.length === 1) return;
  const row = await sql<{ retry: number }>`
    select greatest(1, ceil(extract(epoch from locked_until - now())))::int as retry
    from login_throttle where key_hash = ${key}`.execute(db);
  throw new AppError('ACCOUNT_LOCKED', 'too many failed attempts; try again later', { retryAfter: row.rows[0]?.retry ?? 1 });
}

/** Clears the counter (and any lock) after a successful check: the claimed attempt was not a failure. */
export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key_hash', '=', keyOf(email)).execute();
}

/**
 * Fixed-window rate limit: throws RATE_LIMITED when `bucket` exceeds `limit` hits in the window. The
 * increment and the count it returns are one statement, so parallel requests cannot slip past it.
 */
export async function rateLimit(db: Db, bucket: string, limit: number, windowSeconds: number): Promise<void> {
  const res = await sql<{ hits: number; window_start: Date }>`
    insert into rate_limits (bucket, window_start, hits)
    values (${bucket}, to_timestamp(floor(extract(epoch from now()) / ${windowSeconds}) * ${windowSeconds}), 1)
    on conflict (bucket, window_start) do update set hits = rate_limits.hits + 1
    returning hits, window_start`.execute(db);
  const row = res.rows[0]!;
  if (row.hits > limit) {
    const retry = Math.max(1, Math.ceil((row.window_start.getTime() + windowSeconds * 1000 - Date.now()) / 1000));
    throw new AppError('RATE_LIMITED', 'too many requests; slow down', { retryAfter: retry });
  }
}

/** Deletes expired counters (run by the maintenance job). */
export async function pruneThrottles(db: Db): Promise<void> {
  await sql`delete from rate_limits where window_start < now() - interval '1 day'`.execute(db);
  await sql`delete from login_throttle where updated_at < now() - interval '1 day' and (locked_until is null or locked_until < now())`.execute(db);
}
