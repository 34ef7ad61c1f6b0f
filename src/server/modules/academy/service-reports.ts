/**
 * Progress reports for coordinators and facilitators: every learner of a cohort (progress computed
 * from events, quiz grades, certificate), the CSV export with formula cells defused, and progress
 * per member state across the cohorts I may see.
 */
import { csvCell, type SettledModule } from '../../../core/enrolment.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import type { Services } from '../../services.ts';
import { academyTx, course, eventsByEnrolment, progressFrom, visibleCohort, visibleCohorts } from './service.ts';

/** Every learner's row in the reports of these cohorts (one query for the people, one for their events). */
export async function reportRows(s: Services, cohortIds: string | string[]) {
  const ids = typeof cohortIds === 'string' ? [cohortIds] : cohortIds;
  if (ids.length === 0) return [];
  const rows = await s.db
    .selectFrom('academy_enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .innerJoin('academy_cohorts as c', 'c.id', 'e.cohort_id')
    .leftJoin('academy_certificates as cert', 'cert.enrolment_id', 'e.id')
    .select([
      'e.id',
      'e.cohort_id',
      'u.display_name',
      'u.email',
      'u.status as account',
      'c.starts_on',
      'c.member_state',
      'cert.code as certificate',
      'cert.id as certificate_id',
      'cert.revoked_at as certificate_revoked_at',
      'e.enrolled_at',
      // When the latest invitation was sent (enrolling is when it goes out, if no invitation row is found).
      (eb) =>
        eb
          .selectFrom('invitations as i')
          .select('i.created_at')
          .whereRef('i.user_id', '=', 'u.id')
          .orderBy('i.created_at', 'desc')
          .limit(1)
          .as('invited_at'),
    ])
    .where('e.cohort_id', 'in', ids)
    .where('e.status', '=', 'active')
    .orderBy('u.display_name')
    .execute();
  const now = new Date();
  // A pending invitation has no progress to report: its events are not even read.
  const events = await eventsByEnrolment(
    s.db,
    rows.filter((r) => r.account !== 'invited').map((r) => r.id),
  );
  const out = [];
  for (const r of rows) {
    if (r.account === 'invited') {
      out.push(pendingRow(r));
      continue;
    }
    const pr = progressFrom(events.get(r.id)!, r.starts_on, now);
    out.push({
      cohortId: r.cohort_id,
      enrolmentId: r.id,
      name: r.display_name,
      email: r.email,
      account: r.account,
      memberState: r.member_state,
      modulesComplete: pr.modules.filter((m) => m.state === 'complete').length,
      modulesTotal: pr.modules.length,
      current: pr.current,
      overdue: pr.modules.some((m) => m.overdue),
      // The first late module: which one and by how many days (the rule is in core/enrolment.ts).
      late: lateOf(pr.modules),
      grades: Object.fromEntries(pr.modules.map((m) => [m.id, m.quiz.grade])),
      complete: pr.complete,
      certificate: r.certificate,
      certificateId: r.certificate_id,
      certificateRevoked: !!r.certificate_revoked_at,
      invitedAt: null as string | null,
    });
  }
  return out;
}

function lateOf(modules: SettledModule[]): { module: string; dueAt: string; daysLate: number } | null {
  const m = modules.find((x) => x.late);
  return m?.late ? { module: m.id, dueAt: m.late.dueAt, daysLate: m.late.daysLate } : null;
}

/**
 * A learner who has not yet accepted the invitation: who and since when it was sent — and no
 * progress, grades, lateness or certificate (nothing can have happened under an account that has
 * never been used; whatever events exist are not reported).
 */
export function pendingRow(r: {
  id: string;
  cohort_id: string;
  display_name: string;
  email: string;
  member_state: string;
  invited_at: Date | string | null;
  enrolled_at: Date | string;
}) {
  return {
    cohortId: r.cohort_id,
    enrolmentId: r.id,
    name: r.display_name,
    email: r.email,
    account: 'invited' as const,
    memberState: r.member_state,
    modulesComplete: null as number | null,
    modulesTotal: course().modules.length,
    current: null as string | null,
    overdue: false,
    late: null,
    grades: {} as Record<string, number | null>,
    complete: false,
    certificate: null as string | null,
    certificateId: null as string | null,
    certificateRevoked: false,
    invitedAt: new Date(r.invited_at ?? r.enrolled_at).toISOString(),
  };
}

/** A cohort's progress as CSV (UTF-8 with BOM, CRLF), audited as an export; with the cohort id for the file name. */
export async function progressCsv(
  s: Services,
  p: Principal,
  requestId: string,
  cohortId: string,
): Promise<{ cohortId: string; csv: string }> {
  await authorize(s, p, requestId, 'cohort.read', 'cohort');
  const co = await visibleCohort(s.db, p, cohortId);
  const rows = await reportRows(s, co.id);
  const mods = course().modules.map((m) => m.id);
  const lines = [
    [
      'name',
      'email',
      'member_state',
      'modules_complete',
      'modules_total',
      'current_module',
      'overdue',
      ...mods.map((m) => `quiz_${m}`),
      'complete',
      'certificate',
    ]
      .map(csvCell)
      .join(','),
  ];
  for (const r of rows)
    lines.push(
      [
        r.name,
        r.email,
        r.memberState,
        r.modulesComplete,
        r.modulesTotal,
        r.current,
        r.overdue,
        ...mods.map((m) => r.grades[m]),
        r.complete,
        r.certificate,
      ]
        .map(csvCell)
        .join(','),
    );
  await academyTx(s, p, requestId, (_tx, audit) =>
    audit.append({
      action: 'academy.report.export',
      entityType: 'cohort',
      entityId: co.id,
      details: { rows: rows.length },
    }),
  );
  return { cohortId: co.id, csv: '\uFEFF' + lines.join('\r\n') + '\r\n' };
}

/** Progress per member state across the cohorts I may see, by country code. */
export async function countryReport(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'cohort.read', 'cohort');
  const cohorts = await visibleCohorts(s, p);
  const rows = await reportRows(
    s,
    cohorts.map((co) => co.id),
  );
  const by = new Map<
    string,
    { memberState: string; cohorts: number; learners: number; completed: number; overdue: number }
  >();
  for (const co of cohorts) {
    const mine = rows.filter((r) => r.cohortId === co.id);
    const x = by.get(co.member_state) ?? {
      memberState: co.member_state,
      cohorts: 0,
      learners: 0,
      completed: 0,
      overdue: 0,
    };
    x.cohorts++;
    x.learners += mine.length;
    x.completed += mine.filter((r) => r.complete).length;
    x.overdue += mine.filter((r) => r.overdue).length;
    by.set(co.member_state, x);
  }
  return [...by.values()].sort((a, b) => a.memberState.localeCompare(b.memberState));
}
