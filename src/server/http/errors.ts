/** Maps every failure to the one error body `{ error: { code, message, details?, requestId } }`. */
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { AppError, ERROR_CODES, type ErrorCode, type ErrorDetail } from '../../core/errors.ts';
import { log } from '../log.ts';
import { isUnavailable } from '../db/connection.ts';
import type { AppEnv } from './context.ts';

/** Builds the JSON error response for an AppError. */
export function errorResponse(c: Context<AppEnv>, err: AppError): Response {
  const body = {
    error: {
      code: err.code,
      message: err.message,
      ...(err.details ? { details: err.details } : {}),
      ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
      requestId: c.get('requestId'),
    },
  };
  const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
  if (err.retryAfter !== undefined) headers['Retry-After'] = String(err.retryAfter);
  return c.json(body, err.status as 400, headers);
}

/** Turns zod issues into error details with dotted field paths and stable codes. */
export function zodDetails(error: ZodError, prefix?: string): ErrorDetail[] {
  return error.issues.map((i) => {
    const base = i.path.map(String).join('.');
    if (i.code === 'unrecognized_keys') {
      const keys = (i as { keys?: string[] }).keys ?? [];
      return {
        path: [prefix, base, keys.join(',')].filter(Boolean).join('.'),
        code: 'unknown_field',
        message: i.message,
      };
    }
    return { path: [prefix, base].filter(Boolean).join('.'), code: i.code, message: i.message };
  });
}

/** Converts any thrown value into an AppError; unknown errors become INTERNAL and are logged. */
export function toAppError(err: unknown, requestId: string): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    const code: ErrorCode =
      err.status === 413
        ? 'PAYLOAD_TOO_LARGE'
        : err.status === 415
          ? 'UNSUPPORTED_MEDIA_TYPE'
          : err.status === 400
            ? 'MALFORMED_JSON'
            : 'VALIDATION_FAILED';
    return new AppError(code, err.message || code);
  }
  // The database is away or overloaded (connection cut, restart, no free connection in time, a
  // statement over its time limit): a retryable 503, not a 500, and the server keeps running.
  if (isUnavailable(err)) {
    const c = err as { code?: string; name?: string };
    log('warn', 'database unavailable', { requestId, kind: c?.name, pgCode: c?.code });
    return new AppError('UNAVAILABLE', 'the service is busy or its database is not reachable; try again shortly', {
      retryAfter: 5,
    });
  }
  // PostgreSQL errors: log the code and message, never `detail` (it can hold values).
  const e = err as { code?: string; message?: string; name?: string; stack?: string };
  if (e?.code === '23505') return new AppError('ALREADY_EXISTS', 'a record with this value already exists');
  if (e?.code === '22P02' || e?.code === '22007' || e?.code === '22008' || e?.code === '22021' || e?.code === '22P05')
    return new AppError('VALIDATION_FAILED', 'a value has the wrong format');
  // Messages of non-database errors can quote data (e.g. a JSON.parse snippet), so only their type
  // and code locations are logged; database messages name constraints, not values.
  const frames = e?.stack
    ?.split('\n')
    .filter((l) => l.trim().startsWith('at '))
    .slice(0, 6)
    .join(' | ');
  log('error', 'unhandled error', {
    requestId,
    kind: e?.name,
    pgCode: e?.code,
    ...(e?.code ? { errMessage: e?.message?.slice(0, 300) } : {}),
    stack: frames,
  });
  return new AppError('INTERNAL', 'something went wrong; quote the request id to support');
}

/** Hono onError handler. */
export function onError(err: Error, c: Context<AppEnv>): Response {
  return errorResponse(c, toAppError(err, c.get('requestId') ?? '-'));
}

/** Status codes the OpenAPI document lists for every route. */
export const COMMON_ERROR_STATUSES = [...new Set(Object.values(ERROR_CODES))];
