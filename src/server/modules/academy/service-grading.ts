/**
 * Grading for coordinators and facilitators (their cohorts only): the queue of answers waiting, one
 * answer with its scenario and rubric, grading it with the rubric and feedback (passing counts
 * towards completion), and extra quiz attempts for a learner. Nobody grades or helps themselves.
 */
import { allows } from '../../../core/roles.ts';
import crypto from 'node:crypto';
import { scoreRubric } from '../../../core/enrolment.ts';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { DbOrTx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { recordAndProgress } from './service-learning.ts';
import { academyTx, canSeeCohort, course, isUuid, progressOf, staffEnrolment } from './service.ts';
import { openAcademyText, sealAcademyText } from './text-crypto.ts';

/** An answer in a cohort the principal may see (404 otherwise), optionally locked for update. */
async function submissionFor(s: Services, p: Principal, id: string, tx: DbOrTx = s.db, lock = false) {
  let q = tx
    .selectFrom('academy_submissions as x')
    .innerJoin('users as u', 'u.id', 'x.user_id')
    .innerJoin('academy_enrolments as e', 'e.id', 'x.enrolment_id')
    .selectAll('x')
    .select(['u.display_name', 'e.cohort_id'])
    .where('x.id', '=', id)
    .where('x.tenant_id', '=', p.tenantId);
  if (lock) q = q.forUpdate('x');
  const x = isUuid(id) ? await q.executeTakeFirst() : undefined;
  if (!x || !(await canSeeCohort(tx, p, x.cohort_id))) throw new AppError('NOT_FOUND', 'not found');
  return x;
}

/** Assignment answers waiting for grading in cohorts I may see, oldest first (at most 200). */
export async function gradingQueue(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'academy.grade', 'submission');
  let q = s.db
    .selectFrom('academy_submissions as x')
    .innerJoin('academy_enrolments as e', 'e.id', 'x.enrolment_id')
    .innerJoin('academy_cohorts as co', 'co.id', 'e.cohort_id')
    .innerJoin('users as u', 'u.id', 'x.user_id')
    .select(['x.id', 'x.module_id', 'x.submitted_at', 'u.display_name', 'co.name as cohort_name', 'co.id as cohort_id'])
    .where('x.tenant_id', '=', p.tenantId)
    .where('x.status', '=', 'submitted')
    .orderBy('x.submitted_at');
  if (!allows(p.roles, 'cohort.read_all'))
    q = q.where((eb) =>
      eb.exists(
        eb
          .selectFrom('academy_facilitators as f')
          .select('f.user_id')
          .whereRef('f.cohort_id', '=', 'co.id')
          .where('f.user_id', '=', p.userId),
      ),
    );
  const rows = await q.limit(200).execute();
  const mods = course().modules;
  return rows.map((r) => {
    const m = mods.find((x) => x.id === r.module_id);
    return {
      id: r.id,
      moduleId: r.module_id,
      modulePosition: mods.findIndex((x) => x.id === r.module_id) + 1,
      moduleTitle: m?.title ?? null,
      assignmentTitle: m?.assignment?.title ?? null,
      submittedAt: r.submitted_at.toISOString(),
      learner: r.display_name,
      cohort: { id: r.cohort_id, name: r.cohort_name },
    };
  });
}

/** One answer with the scenario and rubric, for grading (the read is audited). */
export async function readSubmission(s: Services, p: Principal, requestId: string, id: string) {
  await authorize(s, p, requestId, 'academy.grade', 'submission');
  const x = await submissionFor(s, p, id);
  const { body, feedback } = await academyTx(s, p, requestId, async (tx, audit) => {
    await audit.append({ action: 'academy.submission.read', entityType: 'submission', entityId: x.id });
    const ref = (field: 'body' | 'feedback') => ({
      tenantId: x.tenant_id,
      table: 'academy_submissions' as const,
      field,
      rowId: x.id,
    });
    return {
      body: await openAcademyText(s.fields, ref('body'), x.body, x.body_legacy, tx),
      feedback: await openAcademyText(s.fields, ref('feedback'), x.feedback, x.feedback_legacy, tx),
    };
  });
  const mod = course().modules.find((m) => m.id === x.module_id)!;
  return {
    id: x.id,
    moduleId: x.module_id,
    learner: x.display_name,
    body,
    submittedAt: x.submitted_at.toISOString(),
    status: x.status,
    rubric: x.rubric,
    feedback,
    passed: x.passed,
    version: x.version,
    assignment: mod.assignment,
    passRatio: course().settings.assignment.passRatio,
  };
}

/** Grades an answer with the rubric and feedback (optimistic concurrency on `version`). */
export async function gradeSubmission(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  version: number,
  b: { rubric: Record<string, number>; feedback: string },
) {
  await authorize(s, p, requestId, 'academy.grade', 'submission');
  return academyTx(s, p, requestId, async (tx, audit) => {
    const x = await submissionFor(s, p, id, tx, true);
    if (x.user_id === p.userId)
      throw new AppError('FORBIDDEN', 'you cannot grade your own answer', {
        details: [{ path: 'id', code: 'own_answer' }],
      });
    if (x.status !== 'submitted')
      throw new AppError('VALIDATION_FAILED', 'this answer is already graded', {
        details: [{ path: 'status', code: 'already_graded' }],
      });
    if (x.version !== version)
      throw new AppError('VERSION_CONFLICT', 'this answer changed since you opened it', {
        details: [{ path: 'version', code: `current:${x.version}` }],
      });
    const rubric = course().modules.find((m) => m.id === x.module_id)!.assignment!.rubric;
    const { points, max, passed } = scoreRubric(rubric, b.rubric, course().settings.assignment.passRatio);
    const feedback = await sealAcademyText(
      s.fields,
      { tenantId: x.tenant_id, table: 'academy_submissions', field: 'feedback', rowId: x.id },
      b.feedback,
      tx,
    );
    const done = await tx
      .updateTable('academy_submissions')
      .set({
        status: 'graded',
        rubric: JSON.stringify(b.rubric),
        feedback,
        feedback_legacy: null,
        passed,
        graded_by: p.userId,
        graded_at: new Date(),
        version: x.version + 1,
      })
      .where('id', '=', x.id)
      .where('version', '=', version)
      .where('status', '=', 'submitted')
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1)
      throw new AppError('VERSION_CONFLICT', 'this answer changed since you opened it', {
        details: [{ path: 'version', code: 'stale' }],
      });
    await audit.append({
      action: 'academy.submission.grade',
      entityType: 'submission',
      entityId: x.id,
      details: { passed },
    });
    const e = await staffEnrolment(tx, p, x.enrolment_id);
    const r = await recordAndProgress(s, tx, audit, e, {
      kind: 'assignment_graded',
      module_id: x.module_id,
      ref: x.id,
      passed,
    });
    return { id: x.id, passed, points, max, certificateId: r.certificateId };
  });
}

/** Gives a learner of my cohorts extra quiz attempts for a module; returns their progress. */
export async function grantAttempts(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  b: { moduleId: string; count: number },
) {
  await authorize(s, p, requestId, 'cohort.manage', 'enrolment');
  if (!course().modules.some((m) => m.id === b.moduleId))
    throw new AppError('VALIDATION_FAILED', 'no such module', {
      details: [{ path: 'moduleId', code: 'unknown_module' }],
    });
  return academyTx(s, p, requestId, async (tx, audit) => {
    const e = await staffEnrolment(tx, p, enrolmentId);
    if (e.user_id === p.userId)
      throw new AppError('FORBIDDEN', 'you cannot grant attempts to yourself', {
        details: [{ path: 'id', code: 'own_enrolment' }],
      });
    await tx.selectFrom('academy_enrolments').select('id').where('id', '=', e.id).forUpdate().execute();
    await tx
      .insertInto('academy_events')
      .values({
        tenant_id: e.tenant_id,
        enrolment_id: e.id,
        kind: 'attempts_granted',
        module_id: b.moduleId,
        ref: `grant:${crypto.randomUUID()}`,
        count: b.count,
        score: null,
        passed: null,
      })
      .execute();
    await audit.append({
      action: 'academy.attempts.grant',
      entityType: 'enrolment',
      entityId: e.id,
      details: { module: b.moduleId, count: b.count },
    });
    return progressOf(tx, e);
  });
}
