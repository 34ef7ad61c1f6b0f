/**
 * The learner's path through the course: my enrolments with progress (and why things are locked),
 * the course outline, lessons (resume where I stopped) and marking them read. Every operation answers
 * only for the caller's own enrolment: anyone else's is 404.
 */
import { LOCALES, type Locale } from '../../../core/academy.ts';
import type { CourseProgress } from '../../../core/completion.ts';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { AuditLog } from '../../audit/log.ts';
import { academy } from '../../content.ts';
import type { Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { issueIfComplete } from './service-certificates.ts';
import { academyTx, assertOpen, course, GRACE_MS, ownEnrolment, progressOf, type EnrolmentRow } from './service.ts';

/** A grading event, the progress it leads to, and the certificate if that completes the course. */
export async function recordAndProgress(
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

/** My enrolments with progress, where to resume, and my certificates. */
export async function myEnrolments(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'academy.learn', 'enrolment');
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
  return items;
}

/** The course outline for my enrolment: modules, lessons, quiz and assignment, with progress and lock reasons. */
export async function courseOutline(s: Services, p: Principal, requestId: string, enrolmentId: string) {
  await authorize(s, p, requestId, 'academy.learn', 'enrolment');
  const e = await ownEnrolment(s.db, p, enrolmentId);
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
  return {
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
      openAttempt: ((x) => (x ? { id: x.id, moduleId: x.module_id, deadlineAt: x.deadline_at.toISOString() } : null))(
        openAttempts.find((x) => x.module_id === m.id && x.deadline_at.getTime() + GRACE_MS > Date.now()),
      ),
    })),
  };
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

/** A lesson of my enrolment in the chosen language (else the cohort's); French falls back to English. */
export async function readLesson(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  lessonId: string,
  locale?: Locale,
) {
  await authorize(s, p, requestId, 'academy.learn', 'enrolment');
  return academyTx(s, p, requestId, async (tx) => {
    const e = await ownEnrolment(tx, p, enrolmentId);
    return lessonFor(tx, e, lessonId, locale ?? e.language);
  });
}

/** Marks a lesson read; idempotent; refused in a locked module. Runs in the caller's transaction. */
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

/** Marks a lesson of my enrolment read (its own transaction); returns the progress and any certificate issued. */
export async function markLessonRead(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  lessonId: string,
) {
  await authorize(s, p, requestId, 'academy.learn', 'enrolment');
  return academyTx(s, p, requestId, (tx, audit) => completeLesson(s, tx, audit, p, enrolmentId, lessonId));
}
