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

/**
 * Every detail code (`ErrorDetail.code`) the server sends, so each has words in every language of the
 * web app (`field.<code>` in src/web/i18n; test/i18n-catalogues.test.ts checks them). A code in
 * PARAMETRISED_DETAIL_CODES carries a value after a colon, e.g. `max:4` or `current:7`.
 */
export const DETAIL_CODES = [
  // The request itself: headers, JSON, and zod's issue codes (`http/errors.ts` zodDetails).
  'required',
  'invalid',
  'duplicate_key',
  'too_deep',
  'invalid_characters',
  'unknown_field',
  'invalid_type',
  'too_big',
  'too_small',
  'invalid_format',
  'not_multiple_of',
  'invalid_union',
  'invalid_key',
  'invalid_element',
  'invalid_value',
  'custom',
  // Names and labels others see (core/text.ts).
  'control_character',
  'bidi_control',
  'invisible_character',
  // Records changed meanwhile (`current:<version>`).
  'current',
  // Accounts, passwords, users.
  'too_short',
  'too_long',
  'common',
  'wrong',
  'no_pending_enrolment',
  'taken',
  'self',
  'self_change',
  'operator_only',
  // Participants and case work.
  'unknown_team',
  'unknown_program',
  'archived',
  'field_forbidden',
  'none',
  'unknown_phase',
  'not_allowed',
  'supervisor_only',
  'not_on_team',
  'several_teams',
  'unknown_goal',
  'not_your_discipline',
  'access_log_roles',
  'same_team',
  'wrong_team',
  'stale_offer',
  'already_withdrawn',
  'not_in_program',
  'not_team_supervisor',
  'empty',
  'four_eyes',
  'superseded',
  // A record's status where another one was needed (plans, plan versions, handovers).
  'submitted',
  'approved',
  'returned',
  'accepted',
  'declined',
  'cancelled',
  // Exit gates not met (core/gates.ts reasons).
  'no_assessment',
  'assessment_too_old',
  'plan_not_approved',
  'consent_missing',
  'too_early',
  'no_board_decision',
  // Programs.
  'immutable',
  'in_use',
  // Assessments (core/assessment.ts) and instruments.
  'not_certified',
  'assessment_final',
  'unknown_instrument',
  'retired',
  'not_joinable',
  'already_in_group',
  'not_final',
  'not_team',
  'unknown_item',
  'scale_not_for_item',
  'not_on_scale',
  'unknown_judgement',
  'not_rated',
  'evidence_required',
  'not_set',
  'shipped',
  'exists',
  'json_syntax',
  // The academy: quizzes, assignments, cohorts, enrolment rows, grading, certificates.
  'module_locked',
  'quiz_passed',
  'no_attempts_left',
  'attempt_closed',
  'attempt_expired',
  'not_in_attempt',
  'invalid_choice',
  'invalid_choices',
  'invalid_pairs',
  'no_assignment',
  'assignment_passed',
  'awaiting_grading',
  'before_start',
  'not_facilitator',
  'csv_syntax',
  'missing_columns',
  'too_many_rows',
  'cohort_started',
  'min',
  'max',
  'invalid_email',
  'duplicate',
  'wrong_cohort',
  'email_taken',
  'account_disabled',
  'already_enrolled',
  'enrolled_elsewhere',
  'name_required',
  'over_capacity',
  'own_answer',
  'already_graded',
  'unknown_criterion',
  'stale',
  'unknown_module',
  'own_enrolment',
  'already_revoked',
  // Review boards.
  'one_chair',
  'unknown_user',
  'role_not_held',
  'board_closed',
  'meeting_not_open',
  'not_a_member',
  'not_present',
  'recused',
  'already_voted',
  'already_decided',
  'not_chair',
  'no_quorum',
  'no_votes',
  'outcome_contradicts_votes',
  'wrong_program',
  'already_on_agenda',
  'not_signed',
  'already_applied',
] as const;

export type DetailCode = (typeof DETAIL_CODES)[number];

/** Detail codes sent with a value after a colon: `current:7`, `in_use:phase_key`, `operator_only:role`, `max:4`, `min:2`. */
export const PARAMETRISED_DETAIL_CODES: readonly DetailCode[] = ['current', 'in_use', 'operator_only', 'max', 'min'];
