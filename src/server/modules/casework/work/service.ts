/**
 * The work queue: tasks and alerts for "my cases" (teams I am a member of) or "my teams" (teams I
 * supervise). This reads the rows through the Scope; the rules are `core/work-queue.ts`. No HTTP.
 */
import { sql } from 'kysely';
import {
  countByUrgency,
  groupByCase,
  lastFinalised,
  latestPerInstrument,
  reassessmentDueDates,
  workQueue,
  type FinalAssessment,
  type WorkCase,
  type WorkView,
} from '../../../../core/work-queue.ts';
import type { Scope, Visible } from '../../../access/scope.ts';
import { assessments, boardDecisions, consents, participants } from '../../../access/entities.ts';
import { boardApprovedAt } from '../../../../core/boards.ts';
import { ALERT_SQL } from '../../../access/case-sql.ts';
import { shippedInstruments } from '../../../content.ts';
import type { DbOrTx } from '../../../db/schema.ts';
import type { WorkQueue } from './schema.ts';

/** Reassessment interval (days) per `key@version`, for shipped instruments and the tenant's imported ones. */
async function reassessmentIntervals(
  db: DbOrTx,
  tenantId: string,
  used: { instrumentKey: string }[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const d of shippedInstruments()) if (d.reassessEveryDays) out.set(`${d.key}@${d.version}`, d.reassessEveryDays);
  const imported = [...new Set(used.map((u) => u.instrumentKey))].filter(
    (k) => !shippedInstruments().some((d) => d.key === k),
  );
  if (imported.length) {
    const rows = await db
      .selectFrom('instrument_versions')
      .select(['key', 'version', sql<number | null>`(definition->>'reassessEveryDays')::int`.as('every')])
      .where('tenant_id', '=', tenantId)
      .where('key', 'in', imported)
      .execute();
    for (const r of rows) if (r.every) out.set(`${r.key}@${r.version}`, r.every);
  }
  return out;
}

/** A work-queue row: the case's listed columns, its program's definition and the per-row alerts. */
type WorkRow = Visible<'participants'> & {
  program_definition: unknown;
  a_no_session: boolean;
  a_consent_expiring: boolean;
  a_plan_not_approved: boolean;
};

/** The active cases of my teams (member or supervisor), with alerts computed in SQL (at most 500). */
async function activeCases(scope: Scope, membership: 'member' | 'supervisor'): Promise<WorkRow[]> {
  const rows = await scope.list(participants, (qb) => {
    const x = qb
      .leftJoin('programs as pr', 'pr.id', 'participants.program_id')
      .select([
        'pr.definition as program_definition',
        ALERT_SQL.no_session.as('a_no_session'),
        ALERT_SQL.consent_expiring.as('a_consent_expiring'),
        ALERT_SQL.plan_not_approved.as('a_plan_not_approved'),
      ])
      .where('participants.status', '=', 'active')
      .where('participants.team_id', 'in', (eb) =>
        eb
          .selectFrom('team_members')
          .select('team_id')
          .where('user_id', '=', scope.principal.userId)
          .where('tenant_id', '=', scope.principal.tenantId)
          .where('membership', '=', membership),
      );
    // The extra columns come back on each row; the shape's type is the scoped select's.
    return x.orderBy('participants.code').limit(500);
  });
  return rows as WorkRow[];
}

/** The work queue of the principal's cases (`mine`) or supervised teams (`supervised`). */
export async function workQueueFor(scope: Scope, view: WorkView): Promise<WorkQueue> {
  const membership = view === 'mine' ? 'member' : 'supervisor';
  const rows = await activeCases(scope, membership);
  const ids = rows.map((r) => r.id);
  const cons = ids.length ? await scope.list(consents, (q) => q.where('consents.participant_id', 'in', ids)) : [];
  const finalRows = ids.length
    ? await scope.list(assessments, (q) =>
        q.where('assessments.participant_id', 'in', ids).where('assessments.status', '=', 'final'),
      )
    : [];
  const finals: FinalAssessment[] = finalRows.flatMap((a) =>
    a.finalised_at
      ? [
          {
            participantId: a.participant_id,
            instrumentKey: a.instrument_key,
            instrumentVersion: a.instrument_version,
            finalisedAt: a.finalised_at,
          },
        ]
      : [],
  );
  // Board decisions: the latest approval to leave each case's phase, and the next review a board set.
  const decisions = ids.length
    ? await scope.list(boardDecisions, (q) =>
        q.where('board_decisions.participant_id', 'in', ids).orderBy('board_decisions.created_at'),
      )
    : [];
  const intervals = await reassessmentIntervals(scope.shared, scope.principal.tenantId, latestPerInstrument(finals));
  const cases: WorkCase[] = rows.map((r) => ({
    id: r.id,
    code: r.code,
    programId: r.program_id,
    phaseKey: r.phase_key,
    phaseEnteredAt: r.phase_entered_at,
    createdAt: r.created_at,
    planStatus: r.plan_status,
    planApprovedAt: r.plan_approved_at,
    programDefinition: r.program_definition,
    alerts: {
      noSession: r.a_no_session,
      consentExpiring: r.a_consent_expiring,
      planNotApproved: r.a_plan_not_approved,
    },
    boardApprovedAt: boardApprovedAt(
      decisions
        .filter((d) => d.participant_id === r.id)
        .map((d) => ({ question: d.question, outcome: d.outcome, phaseKey: d.phase_key, decidedAt: d.created_at })),
      r.phase_key,
    ),
    // The review the latest decision set (a later decision replaces an earlier one's date).
    boardReviewOn: decisions.filter((d) => d.participant_id === r.id).at(-1)?.next_review_on ?? null,
  }));
  // Offers to my teams: visible through the pending-handover rule of the participant scope.
  const offers = await scope.offeredCases(membership);
  const now = new Date();
  const items = workQueue({
    view,
    cases,
    consents: cons.map((c) => ({
      participantId: c.participant_id,
      purpose: c.purpose,
      status: c.status,
      expiresOn: c.expires_on,
    })),
    lastFinalisedAt: lastFinalised(finals),
    reassessmentDue: reassessmentDueDates(finals, intervals),
    offers: offers.map((o) => ({
      participantId: o.participant_id,
      code: o.code,
      programId: o.program_id,
      phaseKey: o.phase_key,
    })),
    now,
  });
  const byCase = groupByCase(items, now);
  return { items, cases: rows.length, rows: byCase, counts: countByUrgency(byCase) };
}
