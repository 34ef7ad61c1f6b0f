/** The one fetch wrapper of the web app: same-origin cookies, JSON, If-Match, typed errors. */
import type { ErrorCode, ErrorDetail } from '../../core/errors';

/** One problem with one input (dotted path, stable detail code; line and column for uploaded files). */
export type ApiErrorDetail = ErrorDetail;

/** The codes an ApiError can carry: the server's, plus NETWORK (no answer) and HTTP_ERROR (an answer without a body). */
export type ApiErrorCode = ErrorCode | 'NETWORK' | 'HTTP_ERROR';

/** An error answered by the API (or a network failure, code NETWORK). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
    readonly requestId: string | null = null,
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type UnauthenticatedHandler = (path: string) => void;
let onUnauthenticated: UnauthenticatedHandler | null = null;

/** Registers what happens when any request answers 401 UNAUTHENTICATED (session ended). */
export function setUnauthenticatedHandler(handler: UnauthenticatedHandler | null): void {
  onUnauthenticated = handler;
}

export interface RequestOptions {
  body?: unknown;
  /** Record version for optimistic concurrency; sent as If-Match: "<version>". */
  version?: number | string;
  signal?: AbortSignal;
  /** Do not trigger the global "session expired" handler on 401 (login, /me probe). */
  quiet401?: boolean;
  /** Expect a non-JSON body and return it as text. */
  text?: boolean;
}

function toQuery(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Builds a path with a query string from defined, non-empty parameters. */
export function withQuery(path: string, params: Record<string, string | number | undefined | null>): string {
  return path + toQuery(params);
}

async function parseError(res: Response): Promise<ApiError> {
  const body: unknown = await res.json().catch(() => null);
  const err = (body as { error?: Record<string, unknown> } | null)?.error;
  const headerId = res.headers.get('x-request-id');
  if (err && typeof err.code === 'string') {
    const retryHeader = res.headers.get('retry-after');
    const retryAfter =
      typeof err.retryAfter === 'number'
        ? err.retryAfter
        : retryHeader && /^\d+$/.test(retryHeader)
          ? Number(retryHeader)
          : null;
    return new ApiError(
      res.status,
      err.code,
      typeof err.message === 'string' ? err.message : err.code,
      Array.isArray(err.details) ? (err.details as ApiErrorDetail[]) : [],
      typeof err.requestId === 'string' ? err.requestId : headerId,
      retryAfter,
    );
  }
  const code =
    res.status === 401
      ? 'UNAUTHENTICATED'
      : res.status === 404
        ? 'NOT_FOUND'
        : res.status >= 500
          ? 'INTERNAL'
          : 'HTTP_ERROR';
  return new ApiError(res.status, code, `HTTP ${res.status}`, [], headerId);
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws ApiError. */
export async function api<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const init: RequestInit = { method, credentials: 'same-origin', headers, signal: opts.signal };
  if (method !== 'GET' && method !== 'HEAD') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(opts.body ?? {});
  }
  if (opts.version !== undefined) headers['If-Match'] = `"${opts.version}"`;
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', (e as Error).message);
  }
  if (!res.ok) {
    const error = await parseError(res);
    if (error.status === 401 && error.code === 'UNAUTHENTICATED' && !opts.quiet401) onUnauthenticated?.(path);
    throw error;
  }
  if (res.status === 204) return undefined as T;
  if (opts.text) return (await res.text()) as T;
  const type = res.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await res.text()) as T;
  return (await res.json()) as T;
}

/** Whether an error is an ApiError with the given code. */
export function isApiError(e: unknown, code?: ApiErrorCode): e is ApiError {
  return e instanceof ApiError && (code === undefined || e.code === code);
}

/** The details of an API error (none for other errors). */
export function errorDetails(error: unknown): ApiErrorDetail[] {
  return error instanceof ApiError ? error.details : [];
}

/** Dotted field path (without a leading "body.") → the first detail code given for it, from an API error. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (error instanceof ApiError) {
    for (const d of error.details) {
      const key = String(d.path).replace(/^body\./, '');
      if (key && !out[key]) out[key] = d.code;
    }
  }
  return out;
}
