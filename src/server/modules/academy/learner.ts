/**
 * The learner's side of the academy: my enrolments with progress (and why things are locked),
 * lessons (resume where I stopped), quiz attempts with a server-side timer, assignments, my
 * certificates and transcript. Every route answers only for the caller's own enrolment: anyone
 * else's is 404.
 */
import crypto from 'node:crypto';
import { createRoute, z } from '@hono/zod-openapi';
import { LOCALES, type Locale } from '../../../core/academy.ts';
import type { CourseProgress } from '../../../core/completion.ts';
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
import { academy } from '../../content.ts';
import { errors, ifMatch, etag, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import {
  assertOpen,
  certificateStatus,
  course,
  isUuid,
  issueIfComplete,
  academyTx,
  ownEnrolment,
  progressOf,
  type EnrolmentRow,
} from './service.ts';
import type { Tx } from '../../db/schema.ts';
import { openAcademyText, sealAcademyText } from './text-crypto.ts';
import type { AuditLog } from '../../audit/log.ts';
import type { Services } from '../../services.ts';

const tags = ['academy'];
const EnrolmentParam = z.object({ id: z.string().max(64) });
const ModuleParam = z.object({ id: z.string().max(64), moduleId: z.string().max(40) });
const LessonParam = z.object({ id: z.string().max(64), lessonId: z.string().max(40) });
const AttemptParam = z.object({ id: z.string().max(64) });
const Progress = z.record(z.string(), z.unknown()).openapi('CourseProgress');
const GRACE_MS = 5_000;

/** A grading event, the progress it leads to, and the certificate if that completes the course. */
async function recordAndProgress(
  s: Services,
  tx: Tx,
  audit: AuditLog,
  e: EnrolmentRow,
  event: {
    kind: 'lesson_completed' | 'quiz_graded' | 'assignment_graded';
    module_id: string;
    ref: string;
    score?: number;
    passed?: boolean;
  },
) {
  // One writer per enrolment at a time, so the event that completes the course always sees the others.
  await tx.selectFrom('academy_enrolments').select('id').where('id', '=', e.id).forUpdate().execute();
  await tx
    .insertInto('academy_events')
    .values({
      tenant_id: e.tenant_id,
      enrolment_id: e.id,
      kind: event.kind,
      module_id: event.module_id,
      ref: event.ref,
      score: event.score ?? null,
      passed: event.passed ?? null,
      count: null,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
  const progress = await progressOf(tx, e);
  const certificateId = await issueIfComplete(s, tx, audit, e, progress);
  return { progress, certificateId };
}
export { recordAndProgress };

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

function attemptView(
  a: {
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
  },
  reveal = false,
) {
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

const AnswerBody = z.union([
  z.strictObject({ choice: z.string().max(12) }),
  z.strictObject({ choices: z.array(z.string().max(12)).max(6) }),
  z.strictObject({ value: z.boolean() }),
  z.strictObject({ pairs: z.record(z.string().max(40), z.string().max(40)) }),
]);

/** Routes under /api/v1/academy for learners. */
export function learnerRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/me',
      tags,
      summary: 'My enrolments with progress, where to resume, and my certificates',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.record(z.string(), z.unknown())) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'enrolment');
      const rows = await s.db
        .selectFrom('academy_enrolments as e')
        .innerJoin('academy_cohorts as c', 'c.id', 'e.cohort_id')
        .leftJoin('academy_positions as pos', 'pos.enrolment_id', 'e.id')
        .leftJoin('academy_certificates as cert', 'cert.enrolment_id', 'e.id')
        .select([
          'e.id',
          'e.cohort_id',
          'c.name as cohort_name',
          'c.member_state',
          'c.language',
          'c.starts_on',
          'c.ends_on',
          'pos.lesson_id as resume_lesson',
          'cert.id as certificate_id',
          'cert.code as certificate_code',
        ])
        .where('e.user_id', '=', p.userId)
        .where('e.tenant_id', '=', p.tenantId)
        .where('e.status', '=', 'active')
        .orderBy('c.starts_on', 'desc')
        .execute();
      const items = [];
      for (const r of rows) {
        const progress = await progressOf(s.db, { id: r.id, starts_on: r.starts_on });
        items.push({
          id: r.id,
          cohort: {
            id: r.cohort_id,
            name: r.cohort_name,
            memberState: r.member_state,
            language: r.language,
            startsOn: r.starts_on,
            endsOn: r.ends_on,
          },
          courseId: course().settings.id,
          title: course().settings.title,
          resumeLesson: r.resume_lesson ?? null,
          continueLesson: continueLesson(progress, r.resume_lesson ?? null),
          certificate: r.certificate_id ? { id: r.certificate_id, code: r.certificate_code } : null,
          progress,
        });
      }
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}',
      tags,
      summary:
        'The course outline for my enrolment: modules, lessons, quiz and assignment, with progress and lock reasons',
      request: { params: EnrolmentParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'enrolment');
      const e = await ownEnrolment(s.db, p, c.req.valid('param').id);
      const progress = await progressOf(s.db, e);
      const pos = await s.db
        .selectFrom('academy_positions')
        .select('lesson_id')
        .where('enrolment_id', '=', e.id)
        .executeTakeFirst();
      const cert = await s.db
        .selectFrom('academy_certificates')
        .select(['id', 'code'])
        .where('enrolment_id', '=', e.id)
        .executeTakeFirst();
      const c0 = course();
      const { lessons } = academy();
      const submissions = await s.db
        .selectFrom('academy_submissions')
        .select(['module_id', 'status', 'passed', 'submitted_at'])
        .where('enrolment_id', '=', e.id)
        .orderBy('submitted_at', 'desc')
        .execute();
      const openAttempts = await s.db
        .selectFrom('academy_attempts')
        .select(['id', 'module_id', 'deadline_at'])
        .where('enrolment_id', '=', e.id)
        .where('status', '=', 'open')
        .execute();
      return c.json(
        {
          id: e.id,
          cohort: {
            id: e.cohort_id,
            name: e.cohort_name,
            memberState: e.member_state,
            language: e.language,
            startsOn: e.starts_on,
            endsOn: e.ends_on,
          },
          course: {
            id: c0.settings.id,
            title: c0.settings.title,
            summary: c0.settings.summary,
            quiz: c0.settings.quiz,
          },
          resumeLesson: pos?.lesson_id ?? null,
          certificate: cert ?? null,
          progress,
          modules: c0.modules.map((m) => ({
            id: m.id,
            topic: m.topic,
            title: m.title,
            summary: m.summary,
            lessons: m.lessons.map((l) => ({
              id: l.id,
              title: l.title,
              summary: l.summary,
              minutes: l.minutes,
              locales: LOCALES.filter((x) => lessons.get(l.id)?.html[x]),
            })),
            assignment: m.assignment ? { id: m.assignment.id, title: m.assignment.title } : null,
            latestSubmission: ((x) =>
              x
                ? {
                    moduleId: x.module_id,
                    status: x.status,
                    passed: x.passed,
                    submittedAt: x.submitted_at.toISOString(),
                  }
                : null)(submissions.find((x) => x.module_id === m.id)),
            // An attempt whose time ran out is closed on its next read; it is no longer offered to resume.
            openAttempt: ((x) =>
              x ? { id: x.id, moduleId: x.module_id, deadlineAt: x.deadline_at.toISOString() } : null)(
              openAttempts.find((x) => x.module_id === m.id && x.deadline_at.getTime() + GRACE_MS > Date.now()),
            ),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}/lessons/{lessonId}',
      tags,
      summary:
        'A lesson in the chosen language (French falls back to English with a notice); remembers where I stopped',
      request: { params: LessonParam, query: z.object({ locale: z.enum(LOCALES).optional() }) },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'enrolment');
      const { id, lessonId } = c.req.valid('param');
      const out = await academyTx(s, p, c.get('requestId'), async (tx) => {
        const e = await ownEnrolment(tx, p, id);
        return lessonFor(tx, e, lessonId, c.req.valid('query').locale ?? e.language);
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/lessons/{lessonId}/complete',
      tags,
      summary: 'Mark a lesson as read (once; only in an open module)',
      request: { params: LessonParam },
      responses: {
        200: jsonResponse(Progress),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'enrolment');
      const { id, lessonId } = c.req.valid('param');
      const out = await academyTx(s, p, c.get('requestId'), (tx, audit) =>
        completeLesson(s, tx, audit, p, id, lessonId),
      );
      return c.json(out.progress as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/modules/{moduleId}/attempts',
      tags,
      summary:
        'Start a quiz attempt (or resume the open one): items drawn from the bank, options shuffled, timer on the server',
      request: { params: ModuleParam },
      responses: {
        201: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'enrolment');
      const { id, moduleId } = c.req.valid('param');
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const e = await ownEnrolment(tx, p, id, { lock: true });
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
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/attempts/{id}',
      tags,
      summary: 'My attempt: items as shown, saved answers, time left; after closing, the review with feedback',
      request: { params: AttemptParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'attempt');
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const { a, e } = await ownAttempt(s, tx, audit, p, c.req.valid('param').id);
        return attemptView(a, a.status !== 'open' && (await mayReveal(tx, e, a.module_id)));
      });
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/academy/attempts/{id}/answers/{itemId}',
      tags,
      summary: 'Save one answer (open attempt, before the deadline)',
      request: { params: z.object({ id: z.string().max(64), itemId: z.string().max(40) }), body: jsonBody(AnswerBody) },
      responses: {
        200: jsonResponse(z.object({ saved: z.boolean(), secondsLeft: z.number() })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'attempt');
      const { id, itemId } = c.req.valid('param');
      const answer = c.req.valid('json') as Answer;
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
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
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/attempts/{id}/submit',
      tags,
      summary: 'Submit an attempt (once; If-Match); it is graded against the items it showed',
      request: { params: AttemptParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors(
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'VALIDATION_FAILED',
          'VERSION_CONFLICT',
          'PRECONDITION_REQUIRED',
        ),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      const version = ifMatch(c);
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'attempt');
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const { a, e } = await ownAttempt(s, tx, audit, p, c.req.valid('param').id);
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
        const closed = await tx
          .selectFrom('academy_attempts')
          .selectAll()
          .where('id', '=', a.id)
          .executeTakeFirstOrThrow();
        const m = r.progress.modules.find((x) => x.id === a.module_id)!;
        return {
          ...attemptView(closed, m.quiz.passed || m.quiz.attemptsLeft === 0),
          progress: r.progress,
          certificateId: r.certificateId,
        };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/modules/{moduleId}/submissions',
      tags,
      summary: "Submit the module's case assignment for grading",
      request: { params: ModuleParam, body: jsonBody(z.strictObject({ body: z.string().trim().min(50).max(20_000) })) },
      responses: {
        201: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'submission');
      const { id, moduleId } = c.req.valid('param');
      const out = await academyTx(s, p, c.get('requestId'), async (tx, audit) => {
        const e = await ownEnrolment(tx, p, id, { lock: true });
        const m = assertOpen(await progressOf(tx, e), moduleId);
        const mod = course().modules.find((x) => x.id === moduleId)!;
        if (!mod.assignment)
          throw new AppError('VALIDATION_FAILED', 'this module has no assignment', {
            details: [{ path: 'module', code: 'no_assignment' }],
          });
        if (m.assignment.passed)
          throw new AppError('VALIDATION_FAILED', 'your assignment has already passed', {
            details: [{ path: 'module', code: 'assignment_passed' }],
          });
        const waiting = await tx
          .selectFrom('academy_submissions')
          .select('id')
          .where('enrolment_id', '=', e.id)
          .where('module_id', '=', moduleId)
          .where('status', '=', 'submitted')
          .executeTakeFirst();
        if (waiting)
          throw new AppError('VALIDATION_FAILED', 'your last answer is still waiting for grading', {
            details: [{ path: 'module', code: 'awaiting_grading' }],
          });
        // The answer is encrypted before it is stored; its AAD names the row, so the id is chosen first.
        const subId = crypto.randomUUID();
        const body = await sealAcademyText(
          s.fields,
          { tenantId: e.tenant_id, table: 'academy_submissions', field: 'body', rowId: subId },
          c.req.valid('json').body,
          tx,
        );
        const row = await tx
          .insertInto('academy_submissions')
          .values({
            id: subId,
            tenant_id: e.tenant_id,
            enrolment_id: e.id,
            user_id: p.userId,
            module_id: moduleId,
            assignment_id: mod.assignment.id,
            body,
          })
          .returning(['id', 'submitted_at', 'status'])
          .executeTakeFirstOrThrow();
        await audit.append({
          action: 'academy.submission.create',
          entityType: 'submission',
          entityId: row.id,
          details: { module: moduleId },
        });
        return { id: row.id, moduleId, status: row.status, submittedAt: row.submitted_at.toISOString() };
      });
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}/modules/{moduleId}/assignment',
      tags,
      summary: 'The assignment (scenario, prompt, rubric) and my submissions with grades and feedback',
      request: { params: ModuleParam },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown())),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'submission');
      const { id, moduleId } = c.req.valid('param');
      const e = await ownEnrolment(s.db, p, id);
      const mod = course().modules.find((x) => x.id === moduleId);
      if (!mod?.assignment) throw new AppError('NOT_FOUND', 'no such assignment');
      assertOpen(await progressOf(s.db, e), moduleId);
      const subs = await s.db
        .selectFrom('academy_submissions')
        .select([
          'id',
          'tenant_id',
          'body',
          'body_legacy',
          'submitted_at',
          'status',
          'rubric',
          'feedback',
          'feedback_legacy',
          'passed',
          'graded_at',
        ])
        .where('enrolment_id', '=', e.id)
        .where('module_id', '=', moduleId)
        .orderBy('submitted_at', 'desc')
        .execute();
      const submissions = [];
      for (const x of subs) {
        const ref = (field: 'body' | 'feedback') => ({
          tenantId: x.tenant_id,
          table: 'academy_submissions' as const,
          field,
          rowId: x.id,
        });
        const body = await openAcademyText(s.fields, ref('body'), x.body, x.body_legacy, s.db);
        const feedback = await openAcademyText(s.fields, ref('feedback'), x.feedback, x.feedback_legacy, s.db);
        submissions.push({
          id: x.id,
          body,
          submittedAt: x.submitted_at.toISOString(),
          status: x.status,
          rubric: x.rubric,
          feedback,
          passed: x.passed,
          gradedAt: x.graded_at?.toISOString() ?? null,
        });
      }
      return c.json(
        { assignment: mod.assignment, passRatio: course().settings.assignment.passRatio, submissions },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/certificates',
      tags,
      summary: 'My certificates with their status',
      responses: {
        200: jsonResponse(z.object({ items: z.array(z.record(z.string(), z.unknown())) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'certificate');
      const rows = await s.db
        .selectFrom('academy_certificates')
        .select(['id', 'enrolment_id', 'code', 'course_id', 'holder_name', 'issued_at', 'expires_at', 'revoked_at'])
        .where('user_id', '=', p.userId)
        .where('tenant_id', '=', p.tenantId)
        .orderBy('issued_at', 'desc')
        .execute();
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            enrolmentId: r.enrolment_id,
            code: r.code,
            courseId: r.course_id,
            title: course().settings.title,
            holderName: r.holder_name,
            issuedAt: r.issued_at.toISOString(),
            expiresAt: r.expires_at.toISOString(),
            status: certificateStatus(r),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/certificates/{id}/credential',
      tags,
      summary: 'My certificate as a signed Open Badges 3.0 credential (compact JWS, EdDSA)',
      request: { params: AttemptParam },
      responses: {
        200: jsonResponse(
          z.object({ format: z.literal('vc+jwt'), jws: z.string(), credential: z.record(z.string(), z.unknown()) }),
        ),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'certificate');
      const id = c.req.valid('param').id;
      const row = isUuid(id)
        ? await s.db
            .selectFrom('academy_certificates')
            .select('credential')
            .where('id', '=', id)
            .where('user_id', '=', p.userId)
            .where('tenant_id', '=', p.tenantId)
            .executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('NOT_FOUND', 'not found');
      return c.json(
        {
          format: 'vc+jwt' as const,
          jws: row.credential,
          credential: JSON.parse(Buffer.from(row.credential.split('.')[1]!, 'base64url').toString('utf8')) as Record<
            string,
            unknown
          >,
        },
        200,
      );
    },
  );

  return app;
}

/** Where "Continue" goes: the lesson where the learner stopped if unread, else the first unread lesson of an open module. */
export function continueLesson(progress: CourseProgress, resume: string | null): string | null {
  const open = progress.modules.filter((m) => m.state === 'open');
  const unread = (m: (typeof open)[number]) =>
    course()
      .modules.find((x) => x.id === m.id)!
      .lessons.map((l) => l.id)
      .filter((l) => !m.lessonsDone.includes(l));
  if (resume && open.some((m) => unread(m).includes(resume))) return resume;
  for (const m of open) {
    const next = unread(m)[0];
    if (next) return next;
  }
  return null;
}

/** A lesson for an enrolment (module must be open); remembers it as the place to resume. */
export async function lessonFor(tx: Tx, e: EnrolmentRow, lessonId: string, want: Locale) {
  const mod = course().modules.find((m) => m.lessons.some((l) => l.id === lessonId));
  if (!mod) throw new AppError('NOT_FOUND', 'no such lesson');
  const progress = await progressOf(tx, e);
  const m = assertOpen(progress, mod.id);
  const text = academy().lessons.get(lessonId)!;
  const locale: Locale = text.html[want] ? want : 'en';
  await tx
    .insertInto('academy_positions')
    .values({ enrolment_id: e.id, tenant_id: e.tenant_id, lesson_id: lessonId })
    .onConflict((oc) => oc.column('enrolment_id').doUpdateSet({ lesson_id: lessonId, at: new Date() }))
    .execute();
  const idx = mod.lessons.findIndex((l) => l.id === lessonId);
  const all = course().modules.flatMap((x) => x.lessons.map((l) => ({ module: x.id, id: l.id })));
  const flat = all.findIndex((l) => l.id === lessonId);
  const lesson = mod.lessons[idx]!;
  return {
    id: lessonId,
    moduleId: mod.id,
    moduleTitle: mod.title,
    title: lesson.title,
    minutes: lesson.minutes,
    locale,
    fallback: locale !== want,
    html: text.html[locale]!,
    completed: m.lessonsDone.includes(lessonId),
    previous: flat > 0 ? all[flat - 1]! : null,
    next: flat < all.length - 1 ? all[flat + 1]! : null,
    position: { index: idx + 1, of: mod.lessons.length },
  };
}

/** Marks a lesson read; idempotent; refused in a locked module. */
export async function completeLesson(
  s: Services,
  tx: Tx,
  audit: AuditLog,
  p: { userId: string; tenantId: string },
  enrolmentId: string,
  lessonId: string,
) {
  const e = await ownEnrolment(tx, p as never, enrolmentId, { lock: true });
  const mod = course().modules.find((m) => m.lessons.some((l) => l.id === lessonId));
  if (!mod) throw new AppError('NOT_FOUND', 'no such lesson');
  assertOpen(await progressOf(tx, e), mod.id);
  return recordAndProgress(s, tx, audit, e, { kind: 'lesson_completed', module_id: mod.id, ref: lessonId });
}
