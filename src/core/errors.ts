/** The one error type of Sanad, with stable machine codes that the API and UI share. */

/** Stable error codes and the HTTP status each maps to. The UI localises messages by code. */
export const ERROR_CODES = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  PRECONDITION_REQUIRED: 428,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  MFA_INVALID: 401,
  MFA_REQUIRED: 401,
  REAUTH_REQUIRED: 401,
  FORBIDDEN: 403,
  CSRF_ORIGIN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  VERSION_CONFLICT: 409,
  ALREADY_EXISTS: 409,
  IDEMPOTENCY_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PASSWORD_TOO_SHORT: 422,
  PASSWORD_TOO_LONG: 422,
  PASSWORD_COMMON: 422,
  PASSWORD_WRONG: 422,
  INVITATION_INVALID: 404,
  ACCOUNT_LOCKED: 429,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** One problem with one input field: where it is (dotted path) and what is wrong (a stable code). */
export interface ErrorDetail {
  path: string;
  code: string;
  message?: string;
  /** For errors in an uploaded file: 1-based line and column of the offending value. */
  line?: number;
  column?: number;
}

/** The only error Sanad throws on purpose. Services throw it; the HTTP layer maps it to a response. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  /** Seconds a client should wait before retrying (lockout, rate limit). */
  readonly retryAfter?: number;

  constructor(code: ErrorCode, message?: string, opts: { details?: ErrorDetail[]; retryAfter?: number } = {}) {
    super(message ?? code);
    this.name = 'AppError';
    this.code = code;
    this.details = opts.details;
    this.retryAfter = opts.retryAfter;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_CODES[this.code];
  }
}

/** True when the value is an AppError with the given code (or any AppError without a code). */
export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
