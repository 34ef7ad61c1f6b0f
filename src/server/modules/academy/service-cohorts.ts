/**
 * Cohorts for coordinators and facilitators: list, create, read and change them, and choose their
 * facilitators. Coordinators see every cohort of their tenant; facilitators only theirs (others 404).
 */
import { sql } from 'kysely';
import { checkCohortDates } from '../../../core/enrolment.ts';
import { AppError } from '../../../core/errors.ts';
import type { Locale } from '../../../core/academy.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { DbOrTx, Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { reportRows } from './service-reports.ts';
import { academyTx, course, visibleCohort, visibleCohorts } from './service.ts';

/** A cohort as the form sends it. */
export interface CohortInput {
  name: string;
  memberState: string;
  language: Locale;
  startsOn: string;
  endsOn: string;
  capacity: number;
  facilitatorIds: string[];
}

function cohortView(
  c: {
    id: string;
    name: string;
    member_state: string;
    language: string;
    starts_on: string;
    ends_on: string;
    capacity: number;
    version: number;
    course_id: string;
  },
  extra: Record<string, unknown> = {},
) {
  return {
    id: c.id,
    courseId: c.course_id,
    name: c.name,
    memberState: c.member_state,
    language: c.language,
    startsOn: c.starts_on,
    endsOn: c.ends_on,
    capacity: c.capacity,
    version: c.version,
    ...extra,
  };
}

async function checkFacilitators(tx: Tx, p: Principal, ids: string[]) {
  if (!ids.length) return;
  const rows = await tx
    .selectFrom('users')
    .select(['id', 'roles'])
    .where('tenant_id', '=', p.tenantId)
    .where('id', 'in', ids)
    .where('status', '!=', 'disabled')
    .execute();
  const bad = ids
    .map((id, i) => ({ id, i }))
    .filter(({ id }) => !rows.some((r) => r.id === id && r.roles.includes('facilitator')));
  if (bad.length)
    throw new AppError('VALIDATION_FAILED', 'facilitators must be active users with the facilitator role', {
      details: bad.map(({ i }) => ({ path: `facilitatorIds.${i}`, code: 'not_facilitator' })),
    });
}

/** The active enrolments of a cohort. */
export async function enrolledCount(tx: DbOrTx, cohortId: string): Promise<number> {
  const r = await tx
    .selectFrom('academy_enrolments')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('cohort_id', '=', cohortId)
    .where('status', '=', 'active')
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Cohorts I may see, with enrolment counts, completions and overdue learners. */
export async function listCohorts(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'cohort.read', 'cohort');
  const cohorts = await visibleCohorts(s, p);
  const rows = await reportRows(
    s,
    cohorts.map((co) => co.id),
  );
  return cohorts.map((co) => {
    const mine = rows.filter((r) => r.cohortId === co.id);
    return cohortView(co, {
      enrolled: mine.length,
      completed: mine.filter((r) => r.complete).length,
      overdue: mine.filter((r) => r.overdue).length,
    });
  });
}

/** Creates a cohort (member state, intake dates, language, capacity, facilitators). */
export async function createCohort(s: Services, p: Principal, requestId: string, b: CohortInput) {
  await authorize(s, p, requestId, 'cohort.manage', 'cohort');
  checkCohortDates(b);
  return academyTx(s, p, requestId, async (tx, audit) => {
    await checkFacilitators(tx, p, b.facilitatorIds);
    const row = await tx
      .insertInto('academy_cohorts')
      .values({
        tenant_id: p.tenantId,
        course_id: course().settings.id,
        name: b.name,
        member_state: b.memberState,
        language: b.language,
        starts_on: b.startsOn,
        ends_on: b.endsOn,
        capacity: b.capacity,
        created_by: p.userId,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    for (const f of b.facilitatorIds)
      await tx
        .insertInto('academy_facilitators')
        .values({ cohort_id: row.id, user_id: f, tenant_id: p.tenantId })
        .execute();
    await audit.append({
      action: 'academy.cohort.create',
      entityType: 'cohort',
      entityId: row.id,
      details: { memberState: b.memberState },
    });
    return cohortView(row, { facilitatorIds: b.facilitatorIds });
  });
}

/** A cohort with its facilitators and every learner's progress (the read is audited). */
export async function getCohort(s: Services, p: Principal, requestId: string, id: string) {
  await authorize(s, p, requestId, 'cohort.read', 'cohort');
  const co = await visibleCohort(s.db, p, id);
  await academyTx(s, p, requestId, (_tx, audit) =>
    audit.append({ action: 'academy.cohort.read', entityType: 'cohort', entityId: co.id }),
  );
  const facilitators = await s.db
    .selectFrom('academy_facilitators as f')
    .innerJoin('users as u', 'u.id', 'f.user_id')
    .select(['u.id', 'u.display_name'])
    .where('f.cohort_id', '=', co.id)
    .execute();
  const learners = await reportRows(s, co.id);
  return cohortView(co, {
    facilitators: facilitators.map((f) => ({ id: f.id, name: f.display_name })),
    learners,
    modules: course().modules.map((m) => ({ id: m.id, title: m.title })),
  });
}

/**
 * Changes a cohort (optimistic concurrency on `version`). The start date cannot move once learners
 * have progress (it would rewrite their history), nor the capacity fall below the learners enrolled.
 */
export async function updateCohort(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  version: number,
  b: CohortInput,
) {
  await authorize(s, p, requestId, 'cohort.manage', 'cohort');
  checkCohortDates(b);
  return academyTx(s, p, requestId, async (tx, audit) => {
    const co = await visibleCohort(tx, p, id, { lock: true });
    if (co.version !== version)
      throw new AppError('VERSION_CONFLICT', 'this cohort changed since you opened it', {
        details: [{ path: 'version', code: `current:${co.version}` }],
      });
    // Progress is computed from the start date: once learners have progress, moving it would rewrite their history.
    if (b.startsOn !== co.starts_on) {
      const started = await tx
        .selectFrom('academy_events as ev')
        .innerJoin('academy_enrolments as en', 'en.id', 'ev.enrolment_id')
        .select('ev.id')
        .where('en.cohort_id', '=', co.id)
        .limit(1)
        .executeTakeFirst();
      if (started)
        throw new AppError('VALIDATION_FAILED', 'learners have progress; the start date can no longer change', {
          details: [{ path: 'startsOn', code: 'cohort_started' }],
        });
    }
    const taken = await enrolledCount(tx, co.id);
    if (b.capacity < taken)
      throw new AppError('VALIDATION_FAILED', 'capacity cannot be below the learners already enrolled', {
        details: [{ path: 'capacity', code: `min:${taken}` }],
      });
    await checkFacilitators(tx, p, b.facilitatorIds);
    const row = await tx
      .updateTable('academy_cohorts')
      .set({
        name: b.name,
        member_state: b.memberState,
        language: b.language,
        starts_on: b.startsOn,
        ends_on: b.endsOn,
        capacity: b.capacity,
        version: co.version + 1,
      })
      .where('id', '=', co.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await tx.deleteFrom('academy_facilitators').where('cohort_id', '=', co.id).execute();
    for (const f of b.facilitatorIds)
      await tx
        .insertInto('academy_facilitators')
        .values({ cohort_id: co.id, user_id: f, tenant_id: p.tenantId })
        .execute();
    await audit.append({ action: 'academy.cohort.update', entityType: 'cohort', entityId: co.id });
    return cohortView(row, { facilitatorIds: b.facilitatorIds });
  });
}

/** Active users with the facilitator role (to choose for a cohort), by name (at most 500). */
export async function listFacilitators(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'cohort.manage', 'cohort');
  const rows = await s.db
    .selectFrom('users')
    .select(['id', 'display_name'])
    .where('tenant_id', '=', p.tenantId)
    .where('status', '=', 'active')
    .where(sql<boolean>`'facilitator' = any(roles)`)
    .orderBy('display_name')
    .limit(500)
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.display_name }));
}
