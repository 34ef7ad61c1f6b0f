/** A participant's timeline (everything that happened to the case) and access log (who looked, when). No HTTP. */
import type { TimelineKind } from '../../../../core/audit-actions.ts';
import { purposeCode } from '../../../../core/casework.ts';
import { AppError } from '../../../../core/errors.ts';
import { allows, CASE_ROLES, ROLES } from '../../../../core/roles.ts';
import type { Scope } from '../../../access/scope.ts';
import {
  consents,
  goals,
  participants,
  planVersions,
  sessionAttendance,
  sessions,
  transitions,
} from '../../../access/entities.ts';
import type { AccessLog, Timeline, TimelineActor, TimelineEntry } from './schema.ts';

/**
 * Everything that happened on one case, newest first (at most 500 entries), from the child records of
 * the participant (an audited read). Encrypted text is left out except the phase reasons, which the
 * scope decrypts for the roles that may read them.
 */
export async function caseTimeline(scope: Scope, participantId: string): Promise<Timeline> {
  const p = await scope.get(participants, participantId);
  const id = p.id;
  const entry = (
    at: Date | null,
    kind: TimelineKind,
    actor: string | null,
    ref: string,
    data: TimelineEntry['data'],
  ): TimelineEntry[] => (at ? [{ at: at.toISOString(), kind, actorId: actor, actor: null, ref, data }] : []);
  const items = entry(p.created_at, 'registered', p.created_by, id, { legalStatus: p.legal_status ?? null });
  for (const t of await scope.listFull(transitions, (q) => q.where('transitions.participant_id', '=', id)))
    items.push(
      ...entry(t.created_at, `phase_${t.direction}`, t.created_by, t.id, {
        from: t.from_phase,
        to: t.to_phase,
        override: t.override_reason !== null && t.override_reason !== undefined,
        reason: t.reason ?? null,
      }),
    );
  const consentRows = await scope
    .select(consents)
    .select(['consents.id', 'consents.created_at', 'consents.created_by', 'consents.purpose', 'consents.legal_basis'])
    .select(['consents.withdrawn_at'])
    .where('consents.participant_id', '=', id)
    .execute();
  for (const c of consentRows) {
    items.push(
      ...entry(c.created_at, 'consent_given', c.created_by, c.id, { purpose: c.purpose, legalBasis: c.legal_basis }),
    );
    items.push(...entry(c.withdrawn_at, 'consent_withdrawn', null, c.id, { purpose: c.purpose }));
  }
  const attendedRows = await scope
    .children(sessionAttendance)
    .select(['session_attendance.session_id', 'session_attendance.attendance', 'session_attendance.engagement'])
    .where('session_attendance.participant_id', '=', id)
    .execute();
  if (attendedRows.length > 0) {
    const byId = new Map(attendedRows.map((a) => [a.session_id, a]));
    const rows = await scope
      .select(sessions)
      .select(['sessions.id', 'sessions.occurred_at', 'sessions.created_by', 'sessions.kind', 'sessions.discipline'])
      .select(['sessions.duration_minutes'])
      .where('sessions.id', 'in', [...byId.keys()])
      .execute();
    for (const s of rows) {
      const a = byId.get(s.id)!;
      items.push(
        ...entry(s.occurred_at, 'session', s.created_by, s.id, {
          kind: s.kind,
          discipline: s.discipline,
          attendance: a.attendance,
          engagement: a.engagement,
          minutes: s.duration_minutes,
        }),
      );
    }
  }
  const goalRows = await scope
    .select(goals)
    .select(['goals.id', 'goals.created_at', 'goals.created_by', 'goals.domain'])
    .where('goals.participant_id', '=', id)
    .execute();
  for (const g of goalRows) items.push(...entry(g.created_at, 'goal_added', g.created_by, g.id, { domain: g.domain }));
  const plans = await scope
    .select(planVersions)
    .select(['plan_versions.id', 'plan_versions.created_at', 'plan_versions.created_by', 'plan_versions.number'])
    .select(['plan_versions.status', 'plan_versions.decided_at', 'plan_versions.decided_by'])
    .where('plan_versions.participant_id', '=', id)
    .execute();
  for (const v of plans) {
    items.push(...entry(v.created_at, 'plan_submitted', v.created_by, v.id, { number: v.number }));
    items.push(...entry(v.decided_at, `plan_${v.status}`, v.decided_by, v.id, { number: v.number }));
  }
  // Every handover of the case (also between two earlier teams), without reasons: the case history of
  // a participant the scope has just let the caller read.
  const offers = await scope.unscoped('the case history lists every handover of a case the caller may read', (tx) =>
    tx
      .selectFrom('handovers')
      .select(['id', 'created_at', 'created_by', 'to_team_id', 'status', 'decided_at', 'decided_by'])
      .where('tenant_id', '=', scope.principal.tenantId)
      .where('participant_id', '=', id)
      .execute(),
  );
  for (const h of offers) {
    items.push(...entry(h.created_at, 'handover_offered', h.created_by, h.id, { toTeamId: h.to_team_id }));
    if (h.status !== 'pending')
      items.push(...entry(h.decided_at, `handover_${h.status}`, h.decided_by, h.id, { toTeamId: h.to_team_id }));
  }
  const newest = items.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).slice(0, 500);
  const actors = await timelineActors(
    scope,
    p.team_id,
    newest.map((e) => e.actorId),
  );
  return { items: newest.map((e) => ({ ...e, actor: e.actorId ? (actors.get(e.actorId) ?? null) : null })) };
}

/**
 * Who the actors of a case's timeline are, as far as the viewer may know them: their own entries, and
 * members of the case's team or of one of the viewer's teams, by display name (with their discipline);
 * anyone else (an earlier team, a supervisor elsewhere) by role or discipline only. Only users of the
 * viewer's tenant are looked up, so a name of another tenant never appears.
 */
async function timelineActors(
  scope: Scope,
  caseTeamId: string,
  ids: readonly (string | null)[],
): Promise<Map<string, TimelineActor>> {
  const out = new Map<string, TimelineActor>();
  const wanted = [...new Set(ids.filter((x): x is string => x !== null))];
  if (wanted.length === 0) return out;
  const tenantId = scope.principal.tenantId;
  const viewer = scope.principal.userId;
  const users = await scope.shared
    .selectFrom('users')
    .select(['id', 'display_name', 'roles'])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', wanted)
    .execute();
  const viewerTeams = await scope.shared
    .selectFrom('team_members')
    .select('team_id')
    .where('tenant_id', '=', tenantId)
    .where('user_id', '=', viewer)
    .execute();
  const near = new Set([caseTeamId, ...viewerTeams.map((t) => t.team_id)]);
  const memberships = await scope.shared
    .selectFrom('team_members')
    .select(['user_id', 'team_id', 'discipline'])
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', wanted)
    .execute();
  for (const u of users) {
    const mine = memberships.filter((m) => m.user_id === u.id);
    const known = u.id === viewer || mine.some((m) => near.has(m.team_id));
    // The discipline on the case's team first, then on any team, then the first case role held.
    const discipline =
      mine.find((m) => m.team_id === caseTeamId && m.discipline)?.discipline ??
      mine.find((m) => m.discipline)?.discipline ??
      null;
    const role =
      (discipline && (ROLES as readonly string[]).includes(discipline) ? discipline : null) ??
      CASE_ROLES.find((r) => u.roles.includes(r)) ??
      u.roles.find((r) => (ROLES as readonly string[]).includes(r)) ??
      null;
    out.set(u.id, { name: known ? u.display_name : null, role, self: u.id === viewer });
  }
  return out;
}

/** Who read, revealed or changed this record, and when (the case manager and supervisors only). */
export async function caseAccessLog(scope: Scope, participantId: string): Promise<AccessLog> {
  // Role first, so a refusal is recorded as a denial rather than rolled back with a read event.
  if (!allows(scope.principal.roles, 'participant.access_log')) {
    scope.denials.push({
      action: 'participant.access_log',
      entityType: 'participant',
      entityId: participantId,
      outcome: 'denied',
      details: { reason: 'policy' },
    });
    throw new AppError('FORBIDDEN', 'the access log is for the case manager and supervisors', {
      details: [{ path: 'role', code: 'access_log_roles' }],
    });
  }
  const p = await scope.get(participants, participantId);
  const rows = await scope.shared
    .selectFrom('audit_events as e')
    // Only this tenant's users are named.
    .leftJoin('users as u', (j) => j.onRef('u.id', '=', 'e.actor_id').onRef('u.tenant_id', '=', 'e.tenant_id'))
    .select(['e.at', 'e.actor_id', 'u.display_name', 'e.action', 'e.outcome', 'e.purpose'])
    .where('e.tenant_id', '=', scope.principal.tenantId)
    .where((eb) => eb.or([eb('e.subject_id', '=', p.id), eb('e.entity_id', '=', p.id)]))
    .orderBy('e.at', 'desc')
    .limit(200)
    .execute();
  // The purpose code only; free-text reasons stay in the DPO's audit viewer.
  return {
    items: rows.map((r) => ({
      at: r.at.toISOString(),
      actorId: r.actor_id,
      actorName: r.display_name,
      action: r.action,
      outcome: r.outcome,
      purpose: purposeCode(r.purpose),
    })),
  };
}
