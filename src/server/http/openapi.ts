/** Helpers that keep route definitions short and their OpenAPI entries complete. */
import { OpenAPIHono, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError, ERROR_CODES, type ErrorCode } from '../../core/errors.ts';
import { zodDetails } from './errors.ts';
import type { AppEnv } from './context.ts';
import type { Principal } from '../access/principal.ts';
import { Scope } from '../access/scope.ts';

/** The error body every failing route returns. */
export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]),
      message: z.string(),
      details: z
        .array(
          z.object({
            path: z.string(),
            code: z.string(),
            message: z.string().optional(),
            line: z.number().int().optional(),
            column: z.number().int().optional(),
          }),
        )
        .optional(),
      retryAfter: z.number().optional(),
      requestId: z.string(),
    }),
  })
  .openapi('Error');

/** OpenAPI responses for the listed error codes, grouped by status, each naming its codes. */
export function errors(...codes: ErrorCode[]) {
  const all: ErrorCode[] = [...new Set<ErrorCode>([...codes, 'VALIDATION_FAILED', 'INTERNAL'])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of all) byStatus.set(ERROR_CODES[code], [...(byStatus.get(ERROR_CODES[code]) ?? []), code]);
  const out: Record<number, { description: string; content: { 'application/json': { schema: typeof ErrorBody } } }> =
    {};
  for (const [status, list] of byStatus)
    out[status] = {
      description: `Error codes: ${list.join(', ')}`,
      content: { 'application/json': { schema: ErrorBody } },
    };
  return out;
}

/** A required JSON request body. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { 'application/json': { schema } } } as const;
}

/** A JSON response entry. */
export function jsonResponse<T extends z.ZodType>(schema: T, description = 'OK') {
  return { description, content: { 'application/json': { schema } } } as const;
}

/**
 * A router whose validation failures become VALIDATION_FAILED with field paths, except in path
 * parameters: a malformed one (too long, or holding characters no stored text can hold) names no
 * record, so it gets the same 404 NOT_FOUND as a missing one. An `id` of a valid length reaches the
 * handler, whose UUID check answers the same 404 (and, for case data, audits the refused read).
 * `test/http-access.test.ts` checks every route of the OpenAPI document.
 */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.target === 'param') {
        if (!result.success) throw new AppError('NOT_FOUND', 'not found');
        // Keys and codes compared as text (instrument keys, module ids …): NUL or a lone surrogate
        // would be a database error (400), not the 404 a value that matches nothing gets.
        for (const [name, value] of Object.entries(result.data as Record<string, unknown>)) {
          if (name !== 'id' && typeof value === 'string' && (value.includes('\u0000') || !value.isWellFormed()))
            throw new AppError('NOT_FOUND', 'not found');
        }
      }
      if (!result.success) {
        throw new AppError('VALIDATION_FAILED', 'some fields are invalid', {
          details: zodDetails(result.error, result.target === 'json' ? undefined : result.target),
        });
      }
    },
  });
}

/** The signed-in principal with a completed second factor, or 401. */
export function requireUser(c: Context<AppEnv>, opts: { partial?: boolean } = {}): Principal {
  const p = c.get('principal');
  if (!p) throw new AppError('UNAUTHENTICATED', 'sign in first');
  if (!opts.partial && (!p.mfaPassed || p.mustEnrolMfa))
    throw new AppError('MFA_REQUIRED', 'complete the second factor first');
  return p;
}

/**
 * Runs a case-data operation for the signed-in user of this request: one transaction, one Scope
 * (`Scope.run`). Route handlers stay thin: parse, `inScope(c, (scope) => operation(scope, …))`, answer.
 */
export function inScope<R>(c: Context<AppEnv>, fn: (scope: Scope) => Promise<R>): Promise<R> {
  return Scope.run(c.get('services'), requireUser(c), c.get('requestId'), fn);
}

/** The version from the If-Match header (`"3"`, `W/"3"` or `3`); 428 when absent. */
export function ifMatch(c: Context<AppEnv>): number {
  const h = c.req.header('if-match');
  if (!h)
    throw new AppError('PRECONDITION_REQUIRED', 'send If-Match with the version you edited', {
      details: [{ path: 'If-Match', code: 'required' }],
    });
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(h.trim());
  if (!m)
    throw new AppError('VALIDATION_FAILED', 'If-Match must hold a version number', {
      details: [{ path: 'If-Match', code: 'invalid' }],
    });
  return Number(m[1]);
}

/** Sets the ETag header to a record's version. */
export function etag(c: Context<AppEnv>, version: number): void {
  c.header('ETag', `"${version}"`);
}

/** Cursor pagination query fields shared by list routes. */
export const PageQuery = {
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(500).optional(),
};

/** Encodes a keyset position as an opaque cursor. */
export function encodeCursor(parts: (string | number)[]): string {
  return Buffer.from(JSON.stringify(parts)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor; a malformed one is a 400 on `cursor`. */
export function decodeCursor(cursor: string | undefined, arity: number): string[] | null {
  if (!cursor) return null;
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (
      Array.isArray(parts) &&
      parts.length === arity &&
      parts.every((p) => typeof p === 'string' || typeof p === 'number')
    )
      return parts.map(String);
  } catch {
    /* fall through */
  }
  throw new AppError('VALIDATION_FAILED', 'cursor is invalid', {
    details: [{ path: 'query.cursor', code: 'invalid' }],
  });
}
