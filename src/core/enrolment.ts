/**
 * Academy enrolment rules: the enrolment CSV (header row with email, name and optionally cohort),
 * which rows can be enrolled (and why not), cohort dates, rubric scoring and CSV cells for reports.
 * Pure: the server loads the accounts and commits the good rows.
 */
import { parse } from 'csv-parse/sync';
import type { CourseProgress, ModuleProgress } from './completion.ts';
import { AppError, type ErrorDetail } from './errors.ts';
import { nameProblem } from './text.ts';

/** One learner to enrol: a line of the CSV (the header is line 1) or the single invitation form. */
export interface EnrolRow {
  line: number;
  email: string;
  name: string;
  cohort?: string;
}

/** What happens to one row: enrol an existing account, invite a new one, or an error code. */
export interface EnrolResult {
  line: number;
  email: string;
  outcome: 'enrol' | 'invite' | 'error';
  code?: string;
  link?: string;
}

/** An address the enrolment accepts (also shown to staff in reports). */
export const ENROL_EMAIL = /^[^\s@<>(),;:"[\]]{1,64}@[a-z0-9-]+(\.[a-z0-9-]+)+$/i;
/** Row codes that are about the learner's name (the single invitation reports them on `name`). */
export const NAME_CODES = new Set(['name_required', 'control_character', 'bidi_control', 'invisible_character']);

/** Parses an enrolment CSV (header row with email, name and optionally cohort); line numbers count the header as 1. */
export function parseEnrolmentCsv(text: string): EnrolRow[] {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), {
      relax_column_count: true,
      skip_empty_lines: false,
      trim: true,
    }) as string[][];
  } catch (e) {
    throw new AppError('VALIDATION_FAILED', 'the file is not valid CSV', {
      details: [{ path: 'csv', code: 'csv_syntax', message: e instanceof Error ? e.message.slice(0, 200) : undefined }],
    });
  }
  const header = (records[0] ?? []).map((h) => h.toLowerCase());
  const col = (n: string) => header.indexOf(n);
  if (col('email') < 0 || col('name') < 0)
    throw new AppError(
      'VALIDATION_FAILED',
      'the first row must name the columns email and name (and optionally cohort)',
      { details: [{ path: 'csv', code: 'missing_columns', line: 1 }] as ErrorDetail[] },
    );
  if (records.length > 2001)
    throw new AppError('VALIDATION_FAILED', 'at most 2,000 learners per file', {
      details: [{ path: 'csv', code: 'too_many_rows' }],
    });
  const out: EnrolRow[] = [];
  records.slice(1).forEach((r, i) => {
    if (r.every((x) => x === '')) return;
    out.push({
      line: i + 2,
      email: r[col('email')] ?? '',
      name: r[col('name')] ?? '',
      ...(col('cohort') >= 0 ? { cohort: r[col('cohort')] ?? '' } : {}),
    });
  });
  return out;
}

/** What the server knows about an address that already has an account. */
export interface KnownAccount {
  tenantId: string;
  disabled: boolean;
  /** The cohort of the account's active enrolment in this course, if any. */
  enrolledIn: string | null;
}

/**
 * Decides every row in order: bad address, duplicate, another cohort named, an account of another
 * tenant or disabled, already enrolled (here or elsewhere), a missing or unsafe name for a new
 * account, and no place left. Emails come back trimmed and lower-cased.
 */
export function classifyEnrolRows(
  rows: EnrolRow[],
  ctx: {
    tenantId: string;
    cohort: { id: string; name: string };
    places: number;
    account: (email: string) => KnownAccount | undefined;
  },
): EnrolResult[] {
  const seen = new Set<string>();
  let places = ctx.places;
  const results: EnrolResult[] = [];
  for (const r of rows) {
    const email = r.email.trim().toLowerCase();
    const name = r.name.trim();
    const fail = (code: string) => results.push({ line: r.line, email, outcome: 'error', code });
    // An address is shown to staff in reports: no controls or invisible characters in it either.
    if (!ENROL_EMAIL.test(email) || email.length > 254 || nameProblem(email)) {
      fail('invalid_email');
      continue;
    }
    if (seen.has(email)) {
      fail('duplicate');
      continue;
    }
    seen.add(email);
    const named = r.cohort?.trim();
    if (named !== undefined && named !== '' && named !== ctx.cohort.name && named !== ctx.cohort.id) {
      fail('wrong_cohort');
      continue;
    }
    const u = ctx.account(email);
    if (u && u.tenantId !== ctx.tenantId) {
      fail('email_taken');
      continue;
    }
    if (u && u.disabled) {
      fail('account_disabled');
      continue;
    }
    if (u?.enrolledIn) {
      fail(u.enrolledIn === ctx.cohort.id ? 'already_enrolled' : 'enrolled_elsewhere');
      continue;
    }
    if (!u && (name.length < 1 || name.length > 200)) {
      fail('name_required');
      continue;
    }
    const bad = u ? null : nameProblem(name);
    if (bad) {
      fail(bad);
      continue;
    }
    if (places <= 0) {
      fail('over_capacity');
      continue;
    }
    places--;
    results.push({ line: r.line, email, outcome: u ? 'enrol' : 'invite' });
  }
  return results;
}

/** The end date may not come before the start (a stable code for the form). */
export function checkCohortDates(b: { startsOn: string; endsOn: string }): void {
  if (b.endsOn < b.startsOn)
    throw new AppError('VALIDATION_FAILED', 'the end date comes before the start date', {
      details: [{ path: 'endsOn', code: 'before_start' }],
    });
}

/**
 * Scores an assignment with its rubric: every criterion given once, within its maximum, no unknown
 * criterion (else VALIDATION_FAILED naming each); passed when points / max reach the pass ratio.
 */
export function scoreRubric(
  criteria: { id: string; maxPoints: number }[],
  given: Record<string, number>,
  passRatio: number,
): { points: number; max: number; passed: boolean } {
  const problems: ErrorDetail[] = [];
  for (const r of criteria) {
    const v = given[r.id];
    if (v === undefined) problems.push({ path: `rubric.${r.id}`, code: 'required' });
    else if (v > r.maxPoints) problems.push({ path: `rubric.${r.id}`, code: `max:${r.maxPoints}` });
  }
  for (const k of Object.keys(given))
    if (!criteria.some((r) => r.id === k)) problems.push({ path: `rubric.${k}`, code: 'unknown_criterion' });
  if (problems.length)
    throw new AppError('VALIDATION_FAILED', 'the rubric is incomplete or out of range', { details: problems });
  const points = criteria.reduce((sum, r) => sum + given[r.id]!, 0);
  const max = criteria.reduce((sum, r) => sum + r.maxPoints, 0);
  return { points, max, passed: points / max >= passRatio };
}

/** A CSV cell, quoted, with formula-looking text defused (CSV injection). */
export function csvCell(v: string | number | boolean | null | undefined): string {
  let t = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@\t\r]/.test(t)) t = `'${t}`;
  return `"${t.replace(/"/g, '""')}"`;
}

/** What is late in an overdue module: lessons still unread (how many), the quiz, the assignment. */
export interface Lateness {
  /** The module's due date (ISO). */
  dueAt: string;
  /** Whole days since the due date (at least 1). */
  daysLate: number;
  /** Lessons not yet read. */
  lessons: number;
  quiz: boolean;
  assignment: boolean;
}

/** A module's progress with the overdue rule settled and, when overdue, what is late and since when. */
export type SettledModule = ModuleProgress & { late: Lateness | null };
export type SettledProgress = Omit<CourseProgress, 'modules'> & { modules: SettledModule[] };

const DAY_MS = 86_400_000;

/**
 * The overdue rule the learner and staff see: only an open module can be overdue. A locked module
 * is never overdue — it shows why it is locked (what to finish first), and the module it waits on,
 * which is due earlier, carries the lateness. A complete module is never overdue. An overdue module
 * says what is late (lessons unread, quiz not passed, assignment not passed) and by how many whole
 * days (at least one).
 */
export function settleOverdue(progress: CourseProgress, now: string | Date): SettledProgress {
  const at = typeof now === 'string' ? Date.parse(now) : now.getTime();
  return {
    ...progress,
    modules: progress.modules.map((m) => {
      const due = Date.parse(m.dueAt);
      const overdue = m.state === 'open' && at > due;
      const late: Lateness | null = overdue
        ? {
            dueAt: m.dueAt,
            daysLate: Math.max(1, Math.floor((at - due) / DAY_MS)),
            lessons: m.requirements.filter((r) => r.code === 'lesson').length,
            quiz: m.requirements.some((r) => r.code === 'quiz_pass' || r.code === 'quiz_attempts_exhausted'),
            assignment: m.requirements.some((r) => r.code === 'assignment_pass'),
          }
        : null;
      return { ...m, overdue, late };
    }),
  };
}
