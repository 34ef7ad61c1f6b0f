/**
 * Demo academy data: one cohort facilitated by the demo facilitator, the demo learner (fresh, to walk
 * through the course) and eight synthetic learners at different points (some overdue), so cohort
 * reports have something to show. Progress is written as learning events, like real progress.
 */
import type { Tx } from '../db/schema.ts';
import { academy } from '../content.ts';

const NAMES = [
  'Amina Synthetic',
  'Bilal Example',
  'Chloé Fictive',
  'Dawood Placeholder',
  'Esra Sample',
  'Farid Demo',
  'Grace Invented',
  'Hamza Mock',
];

/** Seeds the academy once per demo tenant (kept on reseed: learning events are append-only). */
export async function seedAcademy(tx: Tx, tenantId: string, ids: Record<string, string>): Promise<void> {
  if (await tx.selectFrom('academy_cohorts').select('id').where('tenant_id', '=', tenantId).executeTakeFirst()) return;
  const { course } = academy();
  const now = Date.now();
  const start = new Date(now - 35 * 86_400_000).toISOString().slice(0, 10);
  const end = new Date(now + 120 * 86_400_000).toISOString().slice(0, 10);
  const cohort = await tx
    .insertInto('academy_cohorts')
    .values({
      tenant_id: tenantId,
      course_id: course.settings.id,
      name: 'Demo cohort — autumn intake (synthetic)',
      member_state: 'PK',
      language: 'ur',
      starts_on: start,
      ends_on: end,
      capacity: 40,
      created_by: ids.facilitator ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (ids.facilitator)
    await tx
      .insertInto('academy_facilitators')
      .values({ cohort_id: cohort.id, user_id: ids.facilitator, tenant_id: tenantId })
      .execute();
  const second = await tx
    .insertInto('academy_cohorts')
    .values({
      tenant_id: tenantId,
      course_id: course.settings.id,
      name: 'Demo cohort — francophone (synthetic)',
      member_state: 'SN',
      language: 'fr',
      starts_on: start,
      ends_on: end,
      capacity: 25,
      created_by: ids.facilitator ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (ids.learner)
    await tx
      .insertInto('academy_enrolments')
      .values({
        tenant_id: tenantId,
        cohort_id: cohort.id,
        course_id: course.settings.id,
        user_id: ids.learner,
        enrolled_by: ids.facilitator ?? null,
      })
      .execute();
  // The synthetic learners have accounts (the demo learner's password) except the last of each
  // cohort, whose invitation is still pending: no account, no progress.
  const learnerHash = ids.learner
    ? (await tx.selectFrom('users').select('password_hash').where('id', '=', ids.learner).executeTakeFirst())
        ?.password_hash
    : null;
  for (const [i, name] of NAMES.entries()) {
    const pending = i === 5 || i === NAMES.length - 1 || !learnerHash;
    const user = await tx
      .insertInto('users')
      .values({
        tenant_id: tenantId,
        email: `learner.${i + 1}@demo.sanad.example`,
        display_name: name,
        roles: ['learner'],
        status: pending ? 'invited' : 'active',
        password_hash: pending ? null : learnerHash,
        is_demo: true,
      })
      .onConflict((oc) => oc.column('email').doUpdateSet({ display_name: name }))
      .returning('id')
      .executeTakeFirstOrThrow();
    const e = await tx
      .insertInto('academy_enrolments')
      .values({
        tenant_id: tenantId,
        cohort_id: i < 6 ? cohort.id : second.id,
        course_id: course.settings.id,
        user_id: user.id,
        enrolled_by: ids.facilitator ?? null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    // Learner i has finished i % 4 modules: lessons read, quiz passed, assignment graded.
    const done = pending ? 0 : i % 4;
    let t = Date.parse(start) + 86_400_000;
    for (const m of course.modules.slice(0, done)) {
      for (const l of m.lessons)
        await tx
          .insertInto('academy_events')
          .values({
            tenant_id: tenantId,
            enrolment_id: e.id,
            kind: 'lesson_completed',
            module_id: m.id,
            ref: l.id,
            at: new Date((t += 3_600_000)),
            score: null,
            passed: null,
            count: null,
          })
          .execute();
      await tx
        .insertInto('academy_events')
        .values({
          tenant_id: tenantId,
          enrolment_id: e.id,
          kind: 'quiz_graded',
          module_id: m.id,
          ref: `demo-${i}-${m.id}`,
          score: 70 + ((i * 7) % 30),
          at: new Date((t += 3_600_000)),
          passed: null,
          count: null,
        })
        .execute();
      if (m.assignment)
        await tx
          .insertInto('academy_events')
          .values({
            tenant_id: tenantId,
            enrolment_id: e.id,
            kind: 'assignment_graded',
            module_id: m.id,
            ref: `demo-${i}-${m.id}-a`,
            passed: true,
            at: new Date((t += 86_400_000)),
            score: null,
            count: null,
          })
          .execute();
    }
  }
}
