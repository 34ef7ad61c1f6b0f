/**
 * SQL fragments over case tables used inside a scoped participants select (the caseload and the work
 * queue): per-row alerts. They live in the access layer because they name case tables.
 */
import { sql, type RawBuilder } from 'kysely';

/** SQL for the alerts that can be computed per row (participants p joined with programs pr). */
export const ALERT_SQL: Record<
  'no_session' | 'plan_not_approved' | 'consent_expiring' | 'handover_pending',
  RawBuilder<boolean>
> = {
  no_session: sql<boolean>`(participants.status = 'active' and coalesce(participants.last_session_at, participants.created_at) < now() - make_interval(days => coalesce((pr.definition->>'noSessionAlertDays')::int, 21)))`,
  plan_not_approved: sql<boolean>`(participants.status = 'active' and participants.plan_status <> 'approved')`,
  consent_expiring: sql<boolean>`exists (select 1 from consents c where c.participant_id = participants.id and c.status = 'given' and c.expires_on is not null and c.expires_on <= current_date + 30)`,
  handover_pending: sql<boolean>`exists (select 1 from handovers h where h.participant_id = participants.id and h.status = 'pending')`,
};
