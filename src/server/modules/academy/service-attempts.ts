/**
 * Quiz attempts with a server-side timer: items drawn from the module's bank (options shuffled), one
 * answer saved at a time before the deadline, submitted once, and an attempt whose time ran out
 * graded with the answers saved in time on its next read. Only the caller's own attempts.
 */
import crypto from 'node:crypto';
import { AppError } from '../../../core/errors.ts';
import {
  checkAnswer,
  drawQuiz,
  gradeAttempt,
  learnerView,
  type Answer,
  type SnapshotItem,
} from '../../../core/quiz.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { AuditLog } from '../../audit/log.ts';
import type { Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { recordAndProgress } from './service-learning.ts';
import {
  academyTx,
  assertOpen,
  course,
  GRACE_MS,
  isUuid,
  ownEnrolment,
  progressOf,
  type EnrolmentRow,
} from './service.ts';

type AttemptRow = {
  id: string;
  module_id: string;
  attempt_no: number;
  items: unknown;
  answers: Record<string, unknown>;
  started_at: Date;
  deadline_at: Date;
  status: string;
  score: number | null;
  results: unknown;
  version: number;
};

/** Closes an attempt: grades the answers saved before the deadline and records the grade event. */
async function closeAttempt(
  s: Services,
  tx: Tx,
  audit: AuditLog,
  e: EnrolmentRow,
  a: { id: string; module_id: string; items: unknown; answers: Record<string, unknown> },
  status: 'submitted' | 'expired',
) {
  const items = a.items as SnapshotItem[];
  const graded = gradeAttempt(items, a.answers as Record<string, Answer>);
  await tx
    .updateTable('academy_attempts')
    .set({
      status,
      closed_at: new Date(),
      score: graded.score,
      results: JSON.stringify(graded.results),
      version: (eb) => eb('version', '+', 1),
    })
    .where('id', '=', a.id)
    .where('status', '=', 'open')
    .execute();
  await audit.append({
    action: 'academy.attempt.close',
    entityType: 'attempt',
    entityId: a.id,
    details: { module: a.module_id, status, score: graded.score },
  });
  return recordAndProgress(s, tx, audit, e, {
    kind: 'quiz_graded',
    module_id: a.module_id,
    ref: a.id,
    score: graded.score,
  });
}

/** Loads the caller's own attempt (404 otherwise), closing it first if its timer ran out. */
async function ownAttempt(s: Services, tx: Tx, audit: AuditLog, p: { userId: string; tenantId: string }, id: string) {
  if (!isUuid(id)) throw new AppError('NOT_FOUND', 'not found');
  const peek = await tx
    .selectFrom('academy_attempts')
    .select('enrolment_id')
    .where('id', '=', id)
    .where('user_id', '=', p.userId)
    .where('tenant_id', '=', p.tenantId)
    .executeTakeFirst();
  if (!peek) throw new AppError('NOT_FOUND', 'not found');
  // Lock order everywhere: enrolment, then attempt.
  const e = await ownEnrolment(tx, p as never, peek.enrolment_id, { lock: true });
  const a = await tx
    .selectFrom('academy_attempts')
    .selectAll()
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (a.status === 'open' && Date.now() > a.deadline_at.getTime() + GRACE_MS) {
    await closeAttempt(s, tx, audit, e, a, 'expired');
    return { a: await tx.selectFrom('academy_attempts').selectAll().where('id', '=', id).executeTakeFirstOrThrow(), e };
  }
  return { a, e };
}

/** Whether the review may show the key: once the quiz is passed or no attempt is left (else blank attempts would harvest answers). */
async function mayReveal(tx: Tx, e: EnrolmentRow, moduleId: string): Promise<boolean> {
  const m = (await progressOf(tx, e)).modules.find((x) => x.id === moduleId);
  return !!m && (m.quiz.passed || m.quiz.attemptsLeft === 0);
}

function attemptView(a: AttemptRow, reveal = false) {
  const items = a.items as SnapshotItem[];
  const open = a.status === 'open';
  const results = (a.results as { id: string; credit: number }[] | null) ?? [];
  return {
    id: a.id,
    moduleId: a.module_id,
    attemptNo: a.attempt_no,
    status: a.status,
    startedAt: a.started_at.toISOString(),
    deadlineAt: a.deadline_at.toISOString(),
    secondsLeft: open ? Math.max(0, Math.round((a.deadline_at.getTime() - Date.now()) / 1000)) : 0,
    version: a.version,
    items: learnerView(items),
    answers: a.answers,
    score: a.score,
    // After closing: which were right and why (feedback), from the snapshot the attempt showed.
    // While attempts remain and the quiz is not passed, only right/wrong per item; the key and the
    // explanations come once it is passed or no attempt is left.
    revealed: !open && reveal,
    review: open
      ? null
      : items.map((i) => {
          const credit = results.find((r) => r.id === i.id)?.credit ?? 0;
          if (!reveal) return { id: i.id, credit };
          const correct = i.options
            ? i.options.filter((o) => o.correct).map((o) => o.id)
            : i.kind === 'truefalse'
              ? i.answer
              : Object.fromEntries(i.lefts!.map((l) => [l.id, i.rights!.find((r) => r.pair === l.pair)!.id]));
          return { id: i.id, credit, feedback: credit === 1 ? i.feedback.correct : i.feedback.incorrect, correct };
        }),
  };
}

/** Starts a quiz attempt in an open module of my enrolment, or resumes the open one. */
export async function startAttempt(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  moduleId: string,
) {
  await authorize(s, p, requestId, 'academy.learn', 'enrolment');
  return academyTx(s, p, requestId, async (tx, audit) => {
    const e = await ownEnrolment(tx, p, enrolmentId, { lock: true });
    const open = await tx
      .selectFrom('academy_attempts')
      .select('id')
      .where('enrolment_id', '=', e.id)
      .where('module_id', '=', moduleId)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) {
      const { a } = await ownAttempt(s, tx, audit, p, open.id);
      if (a.status === 'open') return attemptView(a);
    }
    const progress = await progressOf(tx, e);
    const m = assertOpen(progress, moduleId);
    if (m.state === 'complete' && m.quiz.passed)
      throw new AppError('VALIDATION_FAILED', 'you have already passed this quiz', {
        details: [{ path: 'module', code: 'quiz_passed' }],
      });
    if (m.quiz.attemptsLeft <= 0)
      throw new AppError('VALIDATION_FAILED', 'no attempts left; ask your coordinator', {
        details: [{ path: 'module', code: 'no_attempts_left' }],
      });
    const mod = course().modules.find((x) => x.id === moduleId)!;
    const q = course().settings.quiz;
    const items = drawQuiz(mod.bank, q.items, () => crypto.randomInt(0, 2 ** 32) / 2 ** 32);
    const last = await tx
      .selectFrom('academy_attempts')
      .select((eb) => eb.fn.max('attempt_no').as('n'))
      .where('enrolment_id', '=', e.id)
      .where('module_id', '=', moduleId)
      .executeTakeFirst();
    const row = await tx
      .insertInto('academy_attempts')
      .values({
        tenant_id: e.tenant_id,
        enrolment_id: e.id,
        user_id: p.userId,
        module_id: moduleId,
        attempt_no: Number(last?.n ?? 0) + 1,
        items: JSON.stringify(items),
        deadline_at: new Date(Date.now() + q.minutes * 60_000),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit.append({
      action: 'academy.attempt.start',
      entityType: 'attempt',
      entityId: row.id,
      details: { module: moduleId, attempt: row.attempt_no },
    });
    return attemptView(row);
  });
}

/** My attempt: items as shown, saved answers, time left; after closing, the review. */
export async function getAttempt(s: Services, p: Principal, requestId: string, id: string) {
  await authorize(s, p, requestId, 'academy.learn', 'attempt');
  return academyTx(s, p, requestId, async (tx, audit) => {
    const { a, e } = await ownAttempt(s, tx, audit, p, id);
    return attemptView(a, a.status !== 'open' && (await mayReveal(tx, e, a.module_id)));
  });
}

/** Saves one answer of my open attempt, before its deadline. */
export async function saveAnswer(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  itemId: string,
  answer: Answer,
) {
  await authorize(s, p, requestId, 'academy.learn', 'attempt');
  return academyTx(s, p, requestId, async (tx, audit) => {
    const { a } = await ownAttempt(s, tx, audit, p, id);
    if (a.status !== 'open' || Date.now() > a.deadline_at.getTime() + GRACE_MS)
      throw new AppError('VALIDATION_FAILED', 'this attempt is closed', {
        details: [{ path: 'attempt', code: 'attempt_closed' }],
      });
    const item = (a.items as SnapshotItem[]).find((i) => i.id === itemId);
    if (!item)
      throw new AppError('VALIDATION_FAILED', 'this item is not in the attempt', {
        details: [{ path: 'itemId', code: 'not_in_attempt' }],
      });
    const problem = checkAnswer(item, answer);
    if (problem)
      throw new AppError('VALIDATION_FAILED', 'this answer does not fit the question', {
        details: [{ path: 'answer', code: problem }],
      });
    await tx
      .updateTable('academy_attempts')
      .set({ answers: JSON.stringify({ ...a.answers, [itemId]: answer }) })
      .where('id', '=', a.id)
      .execute();
    return { saved: true, secondsLeft: Math.max(0, Math.round((a.deadline_at.getTime() - Date.now()) / 1000)) };
  });
}

/** Submits my attempt once (optimistic concurrency on `version`); it is graded against the items it showed. */
export async function submitAttempt(s: Services, p: Principal, requestId: string, id: string, version: number) {
  await authorize(s, p, requestId, 'academy.learn', 'attempt');
  return academyTx(s, p, requestId, async (tx, audit) => {
    const { a, e } = await ownAttempt(s, tx, audit, p, id);
    if (a.status !== 'open')
      throw new AppError(
        'VALIDATION_FAILED',
        a.status === 'expired'
          ? 'time ran out; the answers saved in time were graded'
          : 'this attempt was already submitted',
        { details: [{ path: 'attempt', code: a.status === 'expired' ? 'attempt_expired' : 'attempt_closed' }] },
      );
    if (a.version !== version)
      throw new AppError('VERSION_CONFLICT', 'this attempt changed since you opened it', {
        details: [{ path: 'version', code: `current:${a.version}` }],
      });
    const r = await closeAttempt(s, tx, audit, e, a, 'submitted');
    const closed = await tx.selectFrom('academy_attempts').selectAll().where('id', '=', a.id).executeTakeFirstOrThrow();
    const m = r.progress.modules.find((x) => x.id === a.module_id)!;
    return {
      ...attemptView(closed, m.quiz.passed || m.quiz.attemptsLeft === 0),
      progress: r.progress,
      certificateId: r.certificateId,
    };
  });
}
