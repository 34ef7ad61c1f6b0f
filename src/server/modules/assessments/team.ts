/**
 * Assessments beyond one draft: team assessments (ratings of the group, dissent, the reconciliation
 * view), comparison over time, and turning the management plan's recommendations into plan goals.
 */
import { AppError } from '../../../core/errors.ts';
import { compareOverTime } from '../../../core/assessment.ts';
import type { Scope } from '../../access/scope.ts';
import { assessmentRatings, assessments, goals, participants } from '../../access/entities.ts';
import { findInstrument } from '../instruments/service.ts';
import { loadProgram } from '../programs/service.ts';
import type { CompareQuery, Reconciliation, RecommendationsRequest } from './schema.ts';

type Ratings = Record<string, string>;
export interface GroupRating {
  assessmentId: string;
  itemCode: string;
  assessorId: string;
  ratings: Ratings;
}

/** Every visible assessment of a group with its ratings of one item (or all items). */
export async function groupRatings(scope: Scope, groupId: string, itemCode?: string): Promise<GroupRating[]> {
  const members = await scope.list(assessments, (q) =>
    q.where('assessments.group_id', '=', groupId).orderBy('assessments.created_at'),
  );
  if (members.length === 0) return [];
  let q = scope
    .children(assessmentRatings)
    .select(['assessment_ratings.assessment_id', 'assessment_ratings.item_code', 'assessment_ratings.ratings'])
    .where(
      'assessment_ratings.assessment_id',
      'in',
      members.map((m) => m.id),
    );
  if (itemCode) q = q.where('assessment_ratings.item_code', '=', itemCode);
  const rows = await q.execute();
  return rows.map((r) => ({
    assessmentId: r.assessment_id,
    itemCode: r.item_code,
    assessorId: members.find((m) => m.id === r.assessment_id)!.created_by,
    ratings: r.ratings,
  }));
}

/** The other assessors' ratings of an item that differ from the lead's: kept beside the agreed rating. */
export function dissentFrom(group: GroupRating[], leadId: string, itemCode: string, agreed: Ratings) {
  return group
    .filter(
      (g) =>
        g.assessmentId !== leadId && g.itemCode === itemCode && JSON.stringify(g.ratings) !== JSON.stringify(agreed),
    )
    .map((g) => ({ assessorId: g.assessorId, ratings: g.ratings }));
}

/** Each assessor's ratings per item, whether they agree, and the lead's agreed rating. */
export async function reconciliation(scope: Scope, id: string): Promise<Reconciliation> {
  const a = await scope.get(assessments, id);
  if (!a.group_id)
    throw new AppError('VALIDATION_FAILED', 'this is not a team assessment', {
      details: [{ path: 'id', code: 'not_team' }],
    });
  const groupId = a.group_id;
  const members = await scope.list(assessments, (q) =>
    q.where('assessments.group_id', '=', groupId).orderBy('assessments.created_at'),
  );
  const ratings = await groupRatings(scope, groupId);
  const codes = [...new Set(ratings.map((r) => r.itemCode))].sort();
  const others = ratings.filter((r) => r.assessmentId !== groupId);
  const names = new Map(
    (
      await scope.shared
        .selectFrom('users')
        .select(['id', 'display_name'])
        .where('tenant_id', '=', scope.principal.tenantId)
        .where(
          'id',
          'in',
          members.map((m) => m.created_by),
        )
        .execute()
    ).map((u) => [u.id, u.display_name]),
  );
  return {
    groupId,
    leadAssessmentId: groupId,
    assessors: members.map((m) => ({
      assessmentId: m.id,
      assessorId: m.created_by,
      displayName: names.get(m.created_by) ?? '',
      status: m.status,
    })),
    items: codes.map((code) => {
      const all = ratings.filter((r) => r.itemCode === code);
      const distinct = new Set(all.map((r) => JSON.stringify(r.ratings)));
      return {
        itemCode: code,
        byAssessor: Object.fromEntries(others.filter((r) => r.itemCode === code).map((r) => [r.assessorId, r.ratings])),
        byAssessment: Object.fromEntries(all.map((r) => [r.assessmentId, r.ratings])),
        agreed: all.length > 1 && distinct.size === 1,
        leadRating: all.find((r) => r.assessmentId === groupId)?.ratings ?? null,
      };
    }),
  };
}

/** How ratings moved between a participant's finalised assessments with one instrument (no totals). */
export async function compareAssessments(
  scope: Scope,
  participantId: string,
  q: CompareQuery,
): Promise<Record<string, unknown>> {
  const p = await scope.get(participants, participantId);
  const finals = await scope.list(assessments, (x) =>
    x
      .where('assessments.participant_id', '=', p.id)
      .where('assessments.instrument_key', '=', q.instrumentKey)
      .where('assessments.status', '=', 'final'),
  );
  if (finals.length === 0)
    return { scale: q.scale, assessments: [], domains: [], note: 'no finalised assessment with this instrument yet' };
  const latest = finals.reduce((a, b) => (a.finalised_at! > b.finalised_at! ? a : b));
  const inst = await findInstrument(scope.shared, scope.principal.tenantId, q.instrumentKey, latest.instrument_version);
  const rows = await scope
    .children(assessmentRatings)
    .select(['assessment_ratings.assessment_id', 'assessment_ratings.item_code', 'assessment_ratings.ratings'])
    .where(
      'assessment_ratings.assessment_id',
      'in',
      finals.map((f) => f.id),
    )
    .execute();
  const out = compareOverTime(
    inst.def,
    q.scale,
    finals.map((f) => ({
      id: f.id,
      finalisedAt: f.finalised_at!.toISOString(),
      ratings: new Map(rows.filter((r) => r.assessment_id === f.id).map((r) => [r.item_code, r.ratings as Ratings])),
    })),
  );
  return out;
}

/** Turns the management plan's recommendations into plan goals in one step (the plan returns to draft). */
export async function recommendationsToGoals(scope: Scope, id: string, b: RecommendationsRequest): Promise<string[]> {
  const a = await scope.get(assessments, id);
  scope.require(goals.actions.create, { type: 'goal' });
  const p = await scope.get(participants, a.participant_id, { forUpdate: true });
  const program = p.program_id ? (await loadProgram(scope.shared, scope.principal.tenantId, p.program_id)).def : null;
  b.items.forEach((it, i) => {
    if (program && !program.domains.includes(it.domain))
      throw new AppError('VALIDATION_FAILED', 'this program does not work in that domain', {
        details: [{ path: `items.${i}.domain`, code: 'not_in_program' }],
      });
  });
  const ids: string[] = [];
  for (const it of b.items) {
    const g = await scope.create(
      goals,
      {
        participant_id: p.id,
        domain: it.domain,
        title: it.title,
        indicator: it.indicator ?? null,
        interventions: it.interventions ?? null,
      },
      { details: { fromAssessment: a.id } },
    );
    ids.push(g.id);
  }
  if (p.plan_status !== 'draft') await scope.setOwned(participants, p.id, { plan_status: 'draft' });
  return ids;
}
