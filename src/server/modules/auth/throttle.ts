/**
 * Login throttling shared by all app nodes (state in PostgreSQL): exponential lockout per email
 * (known or not, so it reveals nothing) and a fixed-window rate limit per client address.
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

/** Throws ACCOUNT_LOCKED while the email is locked out. */
export async function assertNotLocked(db: Db, email: string): Promise<void> {
  const row = await db.selectFrom('login_throttle').select('locked_until').where('key_hash', '=', keyOf(email)).executeTakeFirst();
  const until = row?.locked_until?.getTime() ?? 0;
  if (until > Date.now()) {
    throw new AppError('ACCOUNT_LOCKED', 'too many failed attempts; try again later', { retryAfter: Math.ceil((until - Date.now()) / 1000) });
  }
}

/** Counts a failure; from the 6th on, locks for 1, 2, 4 … minutes, at most an hour. */
export async function recordFailure(db: Db, email: string): Promise<void> {
  await sql`
    insert into login_throttle (key_hash, failures, locked_until, updated_at)
    values (${keyOf(email)}, 1, null, now())
    on conflict (key_hash) do update set
      failures = login_throttle.failures + 1,
      updated_at = now(),
      locked_until = case when login_throttle.failures + 1 >= ${FREE_FAILURES}
        then now() + make_interval(secs => least(${MAX_LOCK_SECONDS}, 60 * power(2, login_throttle.failures + 1 - ${FREE_FAILURES})))
        else null end`.execute(db);
}

/** Clears the counter after a successful login. */
export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom('login_throttle').where('key_hash', '=', keyOf(email)).execute();
}

/** Fixed-window rate limit: throws RATE_LIMITED when `bucket` exceeds `limit` hits in the window. */
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
