/**
 * Idempotency-Key on POST: the first request with a key runs; a retry with the same key and body
 * gets the first response's status and identifiers (id, version, code, status) instead of a second
 * write — not its content, which the client fetches again through the access scope. Only successful
 * responses are kept (encrypted); replays are audited. Sign-in routes are excluded (they set cookies).
 */
import type { MiddlewareHandler } from 'hono';
import { sql } from 'kysely';
import { AppError } from '../../core/errors.ts';
import type { AppEnv } from './context.ts';
import { auditApart } from '../audit/log.ts';

const KEY = /^[A-Za-z0-9_.:-]{8,100}$/;
/** A claimed key with no stored response after this long belongs to a request that died. */
const STALE_MS = 120_000;
/** Fields of a stored response that a replay returns. */
const IDENTIFIERS = ['id', 'version', 'code', 'status'];

/** Middleware honouring the Idempotency-Key header for authenticated POSTs. */
export function idempotency(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.req.header('idempotency-key');
    const p = c.get('principal');
    // Never for credentials: sign-in sets cookies, and a stored hash of a password body would be a guessing oracle.
    if (
      c.req.method !== 'POST' ||
      !key ||
      !p ||
      c.req.path.includes('/auth/') ||
      c.req.path.includes('/password') ||
      c.req.path.endsWith('/reveal')
    )
      return next();
    if (!KEY.test(key))
      throw new AppError('VALIDATION_FAILED', 'Idempotency-Key must be 8–100 letters, digits or -_.:', {
        details: [{ path: 'Idempotency-Key', code: 'invalid' }],
      });
    const s = c.get('services');
    const body = await c.req.text().catch(() => '');
    // Keyed, so the stored value says nothing about the body to someone reading the table.
    const hash = await s.fields.blindIndex(p.tenantId, 'idempotency', `${c.req.method} ${c.req.path}\n${body}`, s.db);
    const ref = { tenantId: p.tenantId, table: 'idempotency_keys', field: 'response', rowId: `${p.userId}:${key}` };
    // Reclaim a key whose first request died before storing a response.
    await sql`delete from idempotency_keys where user_id = ${p.userId} and key = ${key} and status is null and created_at < ${new Date(Date.now() - STALE_MS)}`.execute(
      s.db,
    );
    const claimed =
      await sql`insert into idempotency_keys (user_id, key, request_hash) values (${p.userId}, ${key}, ${hash}) on conflict do nothing`.execute(
        s.db,
      );
    if (Number(claimed.numAffectedRows ?? 0) === 0) {
      const row = await s.db
        .selectFrom('idempotency_keys')
        .selectAll()
        .where('user_id', '=', p.userId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (!row || !row.request_hash.equals(hash))
        throw new AppError('IDEMPOTENCY_CONFLICT', 'this Idempotency-Key was used for a different request');
      if (row.status === null || !row.response)
        throw new AppError('IDEMPOTENCY_CONFLICT', 'a request with this Idempotency-Key is still being processed');
      const stored = JSON.parse(await s.fields.decrypt(ref, row.response, s.db)) as {
        body: string;
        etag: string | null;
      };
      let ids: Record<string, unknown>;
      try {
        const full = JSON.parse(stored.body) as Record<string, unknown>;
        ids = Object.fromEntries(IDENTIFIERS.filter((k) => k in full).map((k) => [k, full[k]]));
      } catch {
        ids = {};
      }
      await auditApart(
        s.db,
        { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') },
        {
          action: 'request.replay',
          entityId: typeof ids.id === 'string' ? ids.id : null,
          details: { path: c.req.path },
        },
      );
      const headers: Record<string, string> = { 'Idempotent-Replayed': 'true' };
      if (stored.etag) headers.ETag = stored.etag;
      return c.json({ ...ids, replayed: true }, row.status as 200, headers);
    }
    let ok = false;
    try {
      await next();
      const res = c.res;
      if (res.status < 400) {
        const text = await res.clone().text();
        const blob = await s.fields.encrypt(ref, JSON.stringify({ body: text, etag: res.headers.get('etag') }), s.db);
        await s.db
          .updateTable('idempotency_keys')
          .set({ status: res.status, response: blob })
          .where('user_id', '=', p.userId)
          .where('key', '=', key)
          .execute();
        ok = true;
      }
    } finally {
      // Only successes are kept; an error (4xx, 5xx or a crash) frees the key so a retry runs again.
      if (!ok)
        await s.db.deleteFrom('idempotency_keys').where('user_id', '=', p.userId).where('key', '=', key).execute();
    }
  };
}
