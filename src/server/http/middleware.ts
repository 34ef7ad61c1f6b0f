/** Request-level middleware: request id, security headers, body guard, CSRF origin check, sign-in gate. */
import crypto from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { AppError } from '../../core/errors.ts';
import { scanJson } from '../../core/json-scan.ts';
import type { AppEnv } from './context.ts';
import type { Services } from '../services.ts';

/** Largest JSON body accepted by the API. */
export const MAX_BODY_BYTES = 256 * 1024;

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
  "form-action 'self'",
].join('; ');

/** Fields a client may send but the server always sets itself; dropped from bodies before validation. */
const SERVER_OWNED = ['tenantId', 'ownerId', 'createdBy', 'createdAt', 'updatedAt', 'id', 'version'];

/** Gives each request an id (echoed as X-Request-Id) and attaches the services. */
export function requestContext(services: Services): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set('requestId', crypto.randomUUID());
    c.set('services', services);
    c.set('principal', null);
    c.set('sessionTokenHash', null);
    const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
    // Behind one trusted proxy the last X-Forwarded-For entry is the one it added; earlier ones are client-controlled.
    const fwd =
      process.env.SANAD_TRUST_PROXY === 'true' ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
    c.set('clientIp', fwd || incoming?.socket?.remoteAddress || 'unknown');
    await next();
    c.header('X-Request-Id', c.get('requestId'));
  };
}

/** Security headers on every response; API responses are never cached. */
export function securityHeaders(secure: boolean): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=()');
    if (secure) c.header('Strict-Transport-Security', 'max-age=63072000; includeSubDomains');
    if (c.req.path.startsWith('/api/')) c.header('Cache-Control', 'no-store');
  };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF defence for state-changing requests: the Origin header (or, failing that, Sec-Fetch-Site)
 * must show the request comes from Sanad's own pages. SameSite=Strict cookies are the second layer.
 */
export function originCheck(allowed: string[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (UNSAFE.has(c.req.method)) {
      const origin = c.req.header('origin');
      const site = c.req.header('sec-fetch-site');
      // A plain form POST under `Referrer-Policy: no-referrer` carries `Origin: null`; then the
      // browser's own Sec-Fetch-Site (which page script cannot set) decides.
      const ok = origin && origin !== 'null' ? allowed.includes(origin) : site === 'same-origin';
      if (!ok) throw new AppError('CSRF_ORIGIN', 'request origin not allowed');
    }
    await next();
  };
}

/** Which routes may be reached with less than a full sign-in, as `METHOD /path` (OpenAPI `{param}` style). */
export interface RouteAccess {
  /** Reachable with no session at all. */
  public: readonly string[];
  /** Reachable with a password-only session whose second factor is still pending (or not enrolled). */
  partial: readonly string[];
}

/**
 * Sign-in gate, deny by default: every route under `prefix` needs a full sign-in (session and second
 * factor) unless `access` lists it, and is refused with 401 before its If-Match, parameters or body
 * are looked at. The route is the one Hono matched for this request (its registered pattern, not the
 * raw path), so path tricks cannot make a protected route look public; unknown paths count as
 * protected. Handlers still call `requireUser` as a second layer.
 */
export function authGate(access: RouteAccess, prefix = '/api/v1'): MiddlewareHandler<AppEnv> {
  const key = (entry: string) => {
    const m = /^(GET|POST|PUT|PATCH|DELETE) (\/\S*)$/.exec(entry);
    if (!m) throw new Error(`route access entry "${entry}" is not "METHOD /path"`);
    return `${m[1]} ${prefix}${m[2]!.replace(/\{([^}]+)\}/g, ':$1')}`;
  };
  const open = new Set(access.public.map(key));
  const partial = new Set(access.partial.map(key));
  return async (c, next) => {
    // The handler that will answer: the first matched route after this middleware that is bound to
    // a method (middleware and the catch-all are registered for ALL methods).
    const target = matchedRoutes(c)
      .slice(c.req.routeIndex + 1)
      .find((r) => r.method !== 'ALL');
    const route = target ? `${target.method} ${target.path}` : '';
    if (!open.has(route)) {
      const p = c.get('principal');
      if (!p) throw new AppError('UNAUTHENTICATED', 'sign in first');
      if ((!p.mfaPassed || p.mustEnrolMfa) && !partial.has(route))
        throw new AppError('MFA_REQUIRED', 'complete the second factor first');
    }
    await next();
  };
}

/**
 * Guards request bodies on the API: size limit, JSON content type, well-formed JSON, a top-level
 * object, no key twice in one object, and removal of server-owned fields. The parsed body is cached for the validators.
 */
export function bodyGuard(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!UNSAFE.has(c.req.method)) return next();
    const len = Number(c.req.header('content-length') ?? 'NaN');
    if (len > MAX_BODY_BYTES) throw new AppError('PAYLOAD_TOO_LARGE', `bodies are limited to ${MAX_BODY_BYTES} bytes`);
    const raw = c.req.raw.body ? await readLimited(c.req.raw, MAX_BODY_BYTES) : '';
    if (raw.length === 0) {
      await next();
      return;
    }
    const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/json') throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'send application/json');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new AppError('MALFORMED_JSON', 'the body is not valid JSON');
    }
    const problem = inspect(parsed);
    if (problem)
      throw new AppError('VALIDATION_FAILED', problem.message, {
        details: [{ path: problem.path, code: problem.code }],
      });
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new AppError('VALIDATION_FAILED', 'the body must be a JSON object', {
        details: [{ path: '', code: 'invalid_type' }],
      });
    }
    // JSON.parse keeps the last of two equal keys; a body that says two things is refused instead.
    const repeated = scanJson(raw, { limit: 10 });
    if (repeated.length)
      throw new AppError('VALIDATION_FAILED', 'a key appears twice in one object', {
        details: repeated.map((d) => ({ path: d.path, code: 'duplicate_key' })),
      });
    for (const k of SERVER_OWNED) delete (parsed as Record<string, unknown>)[k];
    // Hand the validators the cleaned body through Hono's body cache.
    (c.req as unknown as { bodyCache: Record<string, unknown> }).bodyCache = {
      json: Promise.resolve(parsed),
      text: Promise.resolve(JSON.stringify(parsed)),
    };
    await next();
  };
}

/** Deepest JSON nesting accepted. */
const MAX_DEPTH = 32;

/**
 * Walks a parsed body without recursion: refuses nesting deeper than MAX_DEPTH and strings holding
 * NUL characters or lone surrogates (PostgreSQL cannot store them; they are never legitimate).
 */
function inspect(root: unknown): { path: string; code: string; message: string } | null {
  const stack: { v: unknown; path: string; depth: number }[] = [{ v: root, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (depth > MAX_DEPTH) return { path, code: 'too_deep', message: `JSON nested deeper than ${MAX_DEPTH} levels` };
    if (typeof v === 'string') {
      if (v.includes('\u0000') || !v.isWellFormed())
        return { path, code: 'invalid_characters', message: 'text contains invalid characters' };
    } else if (v && typeof v === 'object') {
      for (const [k, child] of Object.entries(v)) {
        if (k.includes('\u0000'))
          return { path, code: 'invalid_characters', message: 'a key contains invalid characters' };
        stack.push({ v: child, path: path ? `${path}.${k}` : k, depth: depth + 1 });
      }
    }
  }
  return null;
}

async function readLimited(req: Request, limit: number): Promise<string> {
  const reader = req.body!.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new AppError('PAYLOAD_TOO_LARGE', `bodies are limited to ${limit} bytes`);
    }
    chunks.push(value);
  }
  const buf = Buffer.concat(chunks);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    throw new AppError('MALFORMED_JSON', 'the body is not valid UTF-8');
  }
}
