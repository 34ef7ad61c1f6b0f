/**
 * The academy's shared rules on the server: who may see which enrolment or cohort, and a learner's
 * progress (always recomputed from events by core/completion.ts). The operations are in the
 * service-*.ts files (learning, attempts, assignments, certificates, cohorts, grading) and
 * enrolment.ts. Learners never reach case data: nothing here touches case tables.
 */
import { allows } from '../../../core/roles.ts';
import type { Course, Locale } from '../../../core/academy.ts';
import {
  computeProgress,
  type CompletionRules,
  type CourseProgress,
  type LearningEvent,
} from '../../../core/completion.ts';
import { settleOverdue, type SettledProgress } from '../../../core/enrolment.ts';
import { AppError } from '../../../core/errors.ts';
import type { Principal } from '../../access/principal.ts';
import { auditedTx, type AuditLog } from '../../audit/log.ts';
import { isUuid } from '../../access/scope.ts';
import { academy } from '../../content.ts';
import type { DbOrTx, Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';

export function course(): Course {
  return academy().course;
}

/** The completion rules of the course, in the shape the pure function takes. */
export function completionRules(c: Course = course()): CompletionRules {
  return {
    unlock: c.settings.unlock,
    moduleWeeks: c.settings.moduleWeeks,
    quiz: { attempts: c.settings.quiz.attempts, passMark: c.settings.quiz.passMark, grading: c.settings.quiz.grading },
    modules: c.modules.map((m) => ({ id: m.id, lessons: m.lessons.map((l) => l.id), assignment: !!m.assignment })),
  };
}

export interface EnrolmentRow {
  id: string;
  tenant_id: string;
  cohort_id: string;
  user_id: string;
  status: 'active' | 'withdrawn';
  starts_on: string;
  ends_on: string;
  language: Locale;
  cohort_name: string;
  member_state: string;
}

function enrolmentQuery(db: DbOrTx) {
  return db
    .selectFrom('academy_enrolments as e')
    .innerJoin('academy_cohorts as c', 'c.id', 'e.cohort_id')
    .select([
      'e.id',
      'e.tenant_id',
      'e.cohort_id',
      'e.user_id',
      'e.status',
      'c.starts_on',
      'c.ends_on',
      'c.language',
      'c.name as cohort_name',
      'c.member_state',
    ]);
}

/** Whether a path id is a UUID (anything else is a plain 404, never a database error). */
export { isUuid };

/** The learner's own enrolment; anything else (another learner's, another tenant's, withdrawn) is 404. */
export async function ownEnrolment(
  db: DbOrTx,
  p: Principal,
  id: string,
  opts: { lock?: boolean } = {},
): Promise<EnrolmentRow> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'not found');
  let q = enrolmentQuery(db)
    .where('e.id', '=', id)
    .where('e.user_id', '=', p.userId)
    .where('e.tenant_id', '=', p.tenantId)
    .where('e.status', '=', 'active');
  if (opts.lock) q = q.forUpdate('e');
  const row = await q.executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', 'not found');
  return row;
}

/** An enrolment a coordinator (any in the tenant) or a facilitator (their cohorts) may see; else 404. */
export async function staffEnrolment(db: DbOrTx, p: Principal, id: string): Promise<EnrolmentRow> {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'not found');
  const row = await enrolmentQuery(db).where('e.id', '=', id).where('e.tenant_id', '=', p.tenantId).executeTakeFirst();
  if (!row || !(await canSeeCohort(db, p, row.cohort_id))) throw new AppError('NOT_FOUND', 'not found');
  return row;
}

/** Coordinators see every cohort of the tenant; facilitators only those they facilitate. */
export async function canSeeCohort(db: DbOrTx, p: Principal, cohortId: string): Promise<boolean> {
  if (!isUuid(cohortId)) return false;
  const c = await db
    .selectFrom('academy_cohorts')
    .select('id')
    .where('id', '=', cohortId)
    .where('tenant_id', '=', p.tenantId)
    .executeTakeFirst();
  if (!c) return false;
  if (allows(p.roles, 'cohort.read_all')) return true;
  if (!allows(p.roles, 'cohort.read')) return false;
  return !!(await db
    .selectFrom('academy_facilitators')
    .select('user_id')
    .where('cohort_id', '=', cohortId)
    .where('user_id', '=', p.userId)
    .executeTakeFirst());
}

/** A cohort the principal may see (404 otherwise), optionally locked for update. */
export async function visibleCohort(tx: DbOrTx, p: Principal, id: string, opts: { lock?: boolean } = {}) {
  if (!(await canSeeCohort(tx, p, id))) throw new AppError('NOT_FOUND', 'not found');
  let q = tx.selectFrom('academy_cohorts').selectAll().where('id', '=', id);
  if (opts.lock) q = q.forUpdate();
  return q.executeTakeFirstOrThrow();
}

/** The cohorts a coordinator (all of the tenant's) or a facilitator (their own) may see, newest first. */
export async function visibleCohorts(s: Services, p: Principal) {
  let q = s.db
    .selectFrom('academy_cohorts as c')
    .selectAll('c')
    .where('c.tenant_id', '=', p.tenantId)
    .orderBy('c.starts_on', 'desc')
    .orderBy('c.id');
  if (!allows(p.roles, 'cohort.read_all'))
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('academy_facilitators as f')
          .select('f.user_id')
          .whereRef('f.cohort_id', '=', 'c.id')
          .where('f.user_id', '=', p.userId),
      ),
    );
  return q.execute();
}

type EventRow = {
  enrolment_id: string;
  kind: LearningEvent['kind'];
  module_id: string;
  ref: string;
  score: number | null;
  passed: boolean | null;
  count: number | null;
  at: Date;
};

function toEvent(r: EventRow): LearningEvent {
  const at = r.at.toISOString();
  switch (r.kind) {
    case 'lesson_completed':
      return { kind: r.kind, at, module: r.module_id, lesson: r.ref };
    case 'quiz_graded':
      return { kind: r.kind, at, module: r.module_id, attemptId: r.ref, score: r.score ?? 0 };
    case 'assignment_graded':
      return { kind: r.kind, at, module: r.module_id, submissionId: r.ref, passed: !!r.passed };
    case 'attempts_granted':
      return { kind: r.kind, at, module: r.module_id, count: r.count ?? 0 };
  }
}

/** The events of several enrolments in one query (reports), grouped per enrolment. */
export async function eventsByEnrolment(db: DbOrTx, enrolmentIds: string[]): Promise<Map<string, LearningEvent[]>> {
  const out = new Map<string, LearningEvent[]>(enrolmentIds.map((id) => [id, []]));
  if (!enrolmentIds.length) return out;
  const rows = await db
    .selectFrom('academy_events')
    .select(['enrolment_id', 'kind', 'module_id', 'ref', 'score', 'passed', 'count', 'at'])
    .where('enrolment_id', 'in', enrolmentIds)
    .orderBy('id')
    .execute();
  for (const r of rows) out.get(r.enrolment_id)!.push(toEvent(r));
  return out;
}

/** The events of one enrolment, in the shape the completion function takes. */
export async function eventsOf(db: DbOrTx, enrolmentId: string): Promise<LearningEvent[]> {
  return (await eventsByEnrolment(db, [enrolmentId])).get(enrolmentId)!;
}

/** A learner's progress, recomputed from events. */
export async function progressOf(
  db: DbOrTx,
  e: Pick<EnrolmentRow, 'id' | 'starts_on'>,
  now = new Date(),
): Promise<SettledProgress> {
  return progressFrom(await eventsOf(db, e.id), e.starts_on, now);
}

/**
 * Progress from already loaded events (reports load many enrolments' events at once), with the
 * overdue rule settled (core/enrolment.ts: a locked module is never overdue; an overdue one says
 * what is late and since when).
 */
export function progressFrom(events: LearningEvent[], startsOn: string, now = new Date()): SettledProgress {
  return settleOverdue(computeProgress(completionRules(), events, `${startsOn}T00:00:00.000Z`, now.toISOString()), now);
}

/** The module must be open for this learner (the one gate every learning write passes). */
export function assertOpen(progress: CourseProgress, moduleId: string) {
  const m = progress.modules.find((x) => x.id === moduleId);
  if (!m) throw new AppError('NOT_FOUND', 'no such module');
  if (m.state === 'locked')
    throw new AppError('VALIDATION_FAILED', 'this module is locked', {
      details: [{ path: 'module', code: 'module_locked' }],
    });
  return m;
}

/** How long after its deadline an attempt still takes answers (network and clock slack). */
export const GRACE_MS = 5_000;

/** The deployment's public address, for verification links and the credential issuer. */
export function publicBase(s: Services): string {
  return s.config.publicOrigins[0] ?? 'http://localhost:3000';
}

/** Runs academy work in one transaction with its audit log. */
export function academyTx<R>(
  s: Services,
  p: Principal,
  requestId: string,
  fn: (tx: Tx, audit: AuditLog) => Promise<R>,
): Promise<R> {
  return auditedTx(s.db, { tenantId: p.tenantId, userId: p.userId, requestId }, fn);
}
