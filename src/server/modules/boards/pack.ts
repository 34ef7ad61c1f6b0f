/**
 * The evidence pack behind an agenda item: what the board needs to decide, assembled from the case —
 * the plan and its goals, session attendance, the latest finalised assessment's judgement, earlier
 * board decisions and the case team's notes for the board. Open to the case team at any time, and to
 * a member of the board outside the case team only while the meeting is open. Every view is audited
 * with the meeting as its purpose. No HTTP.
 */
import { AppError } from '../../../core/errors.ts';
import { agendaItems, participants } from '../../access/entities.ts';
import type { Scope } from '../../access/scope.ts';
import type { Services } from '../../services.ts';
import type { EvidencePack } from './schema.ts';
import { visibleMeeting } from './service.ts';

const DAY = 86_400_000;

export async function evidencePack(scope: Scope, services: Services, itemId: string): Promise<EvidencePack> {
  scope.require('board.read', { type: 'agenda_item', id: itemId });
  // The item itself: visible to the case team and to the members of the board whose meeting it is on.
  const item = await scope.get(agendaItems, itemId, { purpose: 'board_meeting' });
  // On the case team (or supervising it): the participant is visible to the user.
  const onTeam =
    scope.may('participant.list') &&
    (await scope.list(participants, (q) => q.where('participants.id', '=', item.participant_id))).length > 0;
  if (!onTeam) {
    // Outside the case team: a member of this board, and only while the meeting is open. Else as missing.
    const { meeting, board } = await visibleMeeting(scope, item.meeting_id);
    const member = board.members.some((m) => m.user_id === scope.principal.userId);
    if (!member || meeting.state !== 'open') {
      scope.denials.push({
        action: 'board.pack.read',
        entityType: 'agenda_item',
        entityId: itemId,
        outcome: 'denied',
        details: { reason: member ? 'meeting_not_open' : 'not_a_member' },
      });
      throw new AppError('NOT_FOUND', 'not found');
    }
  }
  const tenantId = scope.principal.tenantId;
  const decrypt = (table: string, field: string, rowId: string, blob: Buffer) =>
    services.fields.decrypt({ tenantId, table, field, rowId }, blob, scope.shared);
  const pack = await scope.unscoped(
    'the evidence pack of a case on an agenda, for its case team or a member of the open meeting',
    async (tx) => {
      const p = await tx
        .selectFrom('participants')
        .select(['id', 'code', 'program_id', 'phase_key', 'phase_entered_at', 'plan_status', 'plan_approved_at'])
        .where('tenant_id', '=', tenantId)
        .where('id', '=', item.participant_id)
        .executeTakeFirstOrThrow();
      const goals = await tx
        .selectFrom('goals')
        .select(['id', 'domain', 'title', 'status', 'progress'])
        .where('tenant_id', '=', tenantId)
        .where('participant_id', '=', p.id)
        .orderBy('created_at')
        .execute();
      const since = new Date(Date.now() - 90 * DAY);
      const attended = await tx
        .selectFrom('session_attendance as a')
        .innerJoin('sessions as s', 's.id', 'a.session_id')
        .select(['a.attendance', 's.occurred_at'])
        .where('a.tenant_id', '=', tenantId)
        .where('a.participant_id', '=', p.id)
        .orderBy('s.occurred_at', 'desc')
        .limit(500)
        .execute();
      const latest = await tx
        .selectFrom('assessments')
        .select(['instrument_key', 'instrument_version', 'finalised_at', 'judgement'])
        .where('tenant_id', '=', tenantId)
        .where('participant_id', '=', p.id)
        .where('status', '=', 'final')
        .orderBy('finalised_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      const decisions = await tx
        .selectFrom('board_decisions')
        .select(['question', 'outcome', 'phase_key', 'created_at'])
        .where('tenant_id', '=', tenantId)
        .where('participant_id', '=', p.id)
        .orderBy('created_at', 'desc')
        .execute();
      return { p, goals, since, attended, latest, decisions };
    },
  );
  const counts = { present: 0, late: 0, absent: 0, excused: 0 };
  for (const a of pack.attended) if (a.occurred_at >= pack.since) counts[a.attendance] += 1;
  await scope.audit.append({
    action: 'board.pack.read',
    entityType: 'agenda_item',
    entityId: itemId,
    subjectId: item.participant_id,
    purpose: 'board_meeting',
    details: { meeting: item.meeting_id, on_team: onTeam },
  });
  return {
    itemId: item.id,
    participantId: pack.p.id,
    code: pack.p.code,
    programId: pack.p.program_id,
    phaseKey: pack.p.phase_key,
    phaseEnteredAt: pack.p.phase_entered_at?.toISOString() ?? null,
    question: item.question,
    reason: item.reason ?? null,
    boardNotes: item.board_notes ?? null,
    plan: {
      status: pack.p.plan_status,
      approvedAt: pack.p.plan_approved_at?.toISOString() ?? null,
      goals: await Promise.all(
        pack.goals.map(async (g) => ({
          domain: g.domain,
          title: await decrypt('goals', 'title', g.id, g.title),
          status: g.status,
          progress: g.progress,
        })),
      ),
    },
    attendance: {
      last90Days: counts,
      lastSessionAt: pack.attended[0]?.occurred_at.toISOString() ?? null,
    },
    assessment:
      pack.latest && pack.latest.finalised_at
        ? {
            instrumentKey: pack.latest.instrument_key,
            instrumentVersion: pack.latest.instrument_version,
            finalisedAt: pack.latest.finalised_at.toISOString(),
            judgement: pack.latest.judgement,
          }
        : null,
    decisions: pack.decisions.map((d) => ({
      question: d.question,
      outcome: d.outcome,
      phaseKey: d.phase_key,
      decidedAt: d.created_at.toISOString(),
    })),
  };
}
