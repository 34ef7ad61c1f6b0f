/**
 * Login throttling shared by all app nodes (state in PostgreSQL): exponential, capped lockout per
 * email (known or not, so it reveals nothing), claimed atomically before each check, and a
 * fixed-window rate limit per client address.
 *
 * Two counters per email. The `password` counter guards the password (sign-in and the current-
 * password check); a right password clears it. The `mfa` counter guards the second factor and only
 * a full sign-in (a right, unused TOTP code) clears it, so knowing the password does not buy fresh
 * rounds of TOTP guesses: the locks keep doubling across sign-ins as they do for passwords.
 */
import crypto from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import type { Db, DbOrTx } from '../../db/schema.ts';

/** Failures allowed before the first lockout. */
export const FREE_FAILURES = 5;
/** First lock, doubled by each further failure up to the counter's cap. */
export const FIRST_LOCK_SECONDS = 60;
/**
 * Longest password lock. Anyone who knows an email can keep it locked with one guess per lock, so a
 * short cap bounds how long the owner waits once the attacker stops (and an operator can unlock).
 */
export const MAX_LOCK_SECONDS = 15 * 60;
/**
 * Longest second-factor lock. Only someone holding the password can drive this counter, so the
 * targeted-lockout argument does not apply and the cap is longer: ~24 checks a day at steady state.
 */
export const MAX_MFA_LOCK_SECONDS = 60 * 60;
/** A counter with no failure for this long starts again from zero (the maintenance job also prunes it). */
const FORGET_AFTER_HOURS = 24;

/** Which per-email counter a check is claimed on. */
export type Counter = 'password' | 'mfa';

const COUNTERS: Record<Counter, { prefix: string; maxLockSeconds: number }> = {
  password: { prefix: 'login', maxLockSeconds: MAX_LOCK_SECONDS },
  mfa: { prefix: 'mfa', maxLockSeconds: MAX_MFA_LOCK_SECONDS },
};

/** The stored key of an email's counter: SHA-256 of the prefix and the normalised email. */
export function throttleKey(email: string, counter: Counter = 'password'): Buffer {
  return crypto.createHash('sha256').update(`${COUNTERS[counter].prefix}:${email.trim().toLowerCase()}`).digest();
}

/**
 * Claims one guess for an email BEFORE its password or code is checked, and throws ACCOUNT_LOCKED
 * (without checking anything) while the email's counter is locked. The claim counts as a failure
 * until the caller proves otherwise with `clearFailures`; the claim that reaches FREE_FAILURES sets
 * the lock (1, 2, 4 … minutes, at most the counter's cap) in the same statement, so no later guess
 * is even checked. The exponent is bounded, so a counter far past the cap still answers.
 *
 * Why an atomic counter and not a row lock: one `INSERT … ON CONFLICT DO UPDATE … WHERE not locked
 * RETURNING` serialises concurrent claims on the counter row for the length of that one statement,
 * and every claim sees the previous one's count. Locking the row (`SELECT … FOR UPDATE`) across the
 * argon2 check would also be exact, but it keeps a transaction and a pool connection open for each
 * waiting guess during ~50 ms of hashing per guess: a burst against one email would queue idle
 * transactions on the pool and starve unrelated logins and requests. The claim holds nothing while
 * hashing. Unknown emails are claimed the same way, so they cost and answer exactly like known ones.
 */
export async function claimAttempt(db: Db, email: string, counter: Counter = 'password'): Promise<void> {
  const key = throttleKey(email, counter);
  const cap = COUNTERS[counter].maxLockSeconds;
  // The count after this claim: one more, or one if the last failure is older than FORGET_AFTER_HOURS.
  const n = sql<number>`(case when t.updated_at < now() - make_interval(hours => ${FORGET_AFTER_HOURS}) then 1 else t.failures + 1 end)`;
  // 2^20 minutes is far past any cap; bounding the exponent keeps power() from overflowing.
  const claimed = await sql<{ failures: number }>`
    insert into login_throttle as t (key_hash, failures, locked_until, updated_at)
    values (${key}, 1, null, now())
    on conflict (key_hash) do update set
      failures = ${n},
      updated_at = now(),
      locked_until = case when ${n} >= ${FREE_FAILURES}
        then now() + make_interval(secs => least(${cap}, ${FIRST_LOCK_SECONDS} * power(2, least(20, ${n} - ${FREE_FAILURES}))))
        else null end
    where t.locked_until is null or t.locked_until <= now()
    returning failures`.execute(db);
  if (claimed.rows.length === 1) return;
  const row = await sql<{ retry: number }>`
    select greatest(1, ceil(extract(epoch from locked_until - now())))::int as retry
    from login_throttle where key_hash = ${key}`.execute(db);
  throw new AppError('ACCOUNT_LOCKED', 'too many failed attempts; try again later', {
    retryAfter: row.rows[0]?.retry ?? 1,
  });
}

/** Clears a counter (and any lock) after a successful check: the claimed attempt was not a failure. */
export async function clearFailures(db: Db, email: string, counter: Counter = 'password'): Promise<void> {
  await db.deleteFrom('login_throttle').where('key_hash', '=', throttleKey(email, counter)).execute();
}

/**
 * Removes both counters of an email (the operator's or an administrator's unlock). Runs on the
 * caller's transaction, so the unlock and its audit event commit together. Reports what was cleared.
 */
export async function unlockEmail(db: DbOrTx, email: string): Promise<{ wasLocked: boolean; failures: number }> {
  const rows = await sql<{ failures: number; locked: boolean }>`
    delete from login_throttle where key_hash in (${throttleKey(email, 'password')}, ${throttleKey(email, 'mfa')})
    returning failures, coalesce(locked_until > now(), false) as locked`.execute(db);
  return { wasLocked: rows.rows.some((r) => r.locked), failures: rows.rows.reduce((sum, r) => sum + r.failures, 0) };
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
  await sql`delete from login_throttle where updated_at < now() - interval '1 day' and (locked_until is null or locked_until < now())`.execute(
    db,
  );
}
