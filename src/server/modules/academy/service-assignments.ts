/**
 * The learner's case assignments: submitting an answer (encrypted before it is stored) in an open
 * module, and reading the assignment with my submissions, grades and feedback.
 */
import crypto from 'node:crypto';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { Services } from '../../services.ts';
import { academyTx, assertOpen, course, ownEnrolment, progressOf } from './service.ts';
import { openAcademyText, sealAcademyText } from './text-crypto.ts';

/** Submits the module's case assignment for grading (one waiting answer at a time, none after a pass). */
export async function submitAssignment(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  moduleId: string,
  text: string,
) {
  await authorize(s, p, requestId, 'academy.learn', 'submission');
  return academyTx(s, p, requestId, async (tx, audit) => {
    const e = await ownEnrolment(tx, p, enrolmentId, { lock: true });
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
      text,
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
}

/** The assignment (scenario, prompt, rubric) of an open module, and my submissions with grades and feedback. */
export async function myAssignment(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  moduleId: string,
) {
  await authorize(s, p, requestId, 'academy.learn', 'submission');
  const e = await ownEnrolment(s.db, p, enrolmentId);
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
  return { assignment: mod.assignment, passRatio: course().settings.assignment.passRatio, submissions };
}
