/**
 * The case team, and handover of a case to another team: offered by the current team, accepted or
 * declined by the receiving team, or cancelled by the sender. Through the Scope; no HTTP.
 */
import { AppError } from '../../../../core/errors.ts';
import type { Scope, Visible } from '../../../access/scope.ts';
import { handovers, participants } from '../../../access/entities.ts';
import type { CaseTeam, Handover, HandoverDecisionRequest, HandoverRequest, TeamList } from './schema.ts';

/** A handover row as the API shows it. */
function handoverView(r: Visible<'handovers'>): Handover {
  return {
    id: r.id,
    participantId: r.participant_id,
    fromTeamId: r.from_team_id,
    toTeamId: r.to_team_id,
    status: r.status,
    reason: r.reason ?? '',
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    decidedBy: r.decided_by,
    decidedAt: r.decided_at ? r.decided_at.toISOString() : null,
    version: r.version,
  };
}

/** The case team (members, disciplines, supervisors) and the case's handovers. */
export async function caseTeam(scope: Scope, participantId: string): Promise<CaseTeam> {
  const p = await scope.get(participants, participantId);
  const team = await scope.shared
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('id', '=', p.team_id)
    .executeTakeFirstOrThrow();
  const members = await scope.shared
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.display_name', 'm.membership', 'm.discipline'])
    .where('m.team_id', '=', team.id)
    .orderBy('m.membership', 'desc')
    .orderBy('u.display_name')
    .execute();
  const hs = await scope.listFull(handovers, (q) =>
    q.where('handovers.participant_id', '=', p.id).orderBy('handovers.created_at', 'desc'),
  );
  return {
    teamId: team.id,
    teamName: team.name,
    members: members.map((m) => ({
      userId: m.user_id,
      displayName: m.display_name,
      membership: m.membership,
      discipline: m.discipline,
    })),
    handovers: hs.map(handoverView),
  };
}

/** Teams of the tenant, marking the principal's own (to choose a handover target). */
export async function listTeams(scope: Scope): Promise<TeamList> {
  scope.require('participant.list', { type: 'team' });
  const mine = new Set(await scope.teamIds());
  const rows = await scope.shared
    .selectFrom('teams')
    .select(['id', 'name'])
    .where('tenant_id', '=', scope.principal.tenantId)
    .orderBy('name')
    .execute();
  return { items: rows.map((t) => ({ id: t.id, name: t.name, mine: mine.has(t.id) })) };
}

/** Offers a case to another team of the tenant (only the current team can). */
export async function offerHandover(scope: Scope, participantId: string, b: HandoverRequest): Promise<Handover> {
  scope.require(handovers.actions.create, { type: 'handover' });
  const p = await scope.get(participants, participantId);
  if (!(await scope.teamIds()).includes(p.team_id))
    throw new AppError('FORBIDDEN', 'only the current team can hand a case over');
  if (b.toTeamId === p.team_id)
    throw new AppError('VALIDATION_FAILED', 'that is the current team', {
      details: [{ path: 'toTeamId', code: 'same_team' }],
    });
  const target = await scope.shared
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('id', '=', b.toTeamId)
    .executeTakeFirst();
  if (!target)
    throw new AppError('VALIDATION_FAILED', 'unknown team', {
      details: [{ path: 'toTeamId', code: 'unknown_team' }],
    });
  const r = await scope.create(handovers, {
    participant_id: p.id,
    from_team_id: p.team_id,
    to_team_id: b.toTeamId,
    reason: b.reason,
  });
  return handoverView(r);
}

/** Accepts or declines (receiving team) or cancels (sending team) a pending handover, if `version` matches. */
export async function decideHandover(
  scope: Scope,
  handoverId: string,
  version: number,
  { decision }: HandoverDecisionRequest,
): Promise<Handover> {
  if (decision === 'accept') {
    await scope.acceptHandover(handoverId, version);
    return handoverView(await scope.get(handovers, handoverId));
  }
  const h = await scope.get(handovers, handoverId);
  if (h.status !== 'pending')
    throw new AppError('VALIDATION_FAILED', 'this handover was already decided', {
      details: [{ path: 'status', code: String(h.status) }],
    });
  const side = decision === 'cancel' ? h.from_team_id : h.to_team_id;
  if (!(await scope.teamIds()).includes(side))
    throw new AppError(
      'FORBIDDEN',
      decision === 'cancel' ? 'only the sending team can cancel' : 'only the receiving team can decline',
      { details: [{ path: 'decision', code: 'wrong_team' }] },
    );
  const r = await scope.update(
    handovers,
    h.id,
    version,
    {
      status: decision === 'decline' ? 'declined' : 'cancelled',
      decided_by: scope.principal.userId,
      decided_at: new Date(),
    },
    { details: { decision } },
  );
  return handoverView(r);
}
