/** Plan rows as the API shows them. */
import type { Visible } from '../../../access/scope.ts';
import type { Goal, PlanVersion } from './schema.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** A goal, with its progress notes when given. Encrypted text the roles may not read shows as empty. */
export function goalView(r: Visible<'goals'>, notes?: Visible<'goal_notes'>[]): Goal {
  return {
    id: r.id,
    participantId: r.participant_id,
    domain: r.domain,
    title: r.title ?? '',
    indicator: r.indicator ?? null,
    interventions: r.interventions ?? null,
    responsibleUserId: r.responsible_user_id,
    targetDate: r.target_date,
    status: r.status,
    progress: r.progress,
    version: r.version,
    ...(notes
      ? {
          notes: notes.map((n) => ({
            id: n.id,
            note: n.note ?? '',
            createdBy: n.created_by,
            createdAt: n.created_at.toISOString(),
          })),
        }
      : {}),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A submitted plan version and its decision. */
export function versionView(r: Visible<'plan_versions'>): PlanVersion {
  return {
    id: r.id,
    number: r.number,
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: iso(r.decided_at),
    decisionNote: r.decision_note ?? null,
    version: r.version,
  };
}
