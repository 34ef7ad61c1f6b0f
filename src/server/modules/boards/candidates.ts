/**
 * Agenda candidates: the cases of a board's program that the user may see and that wait on a board —
 * in a phase whose other exit gates are met but for the board's decision, or with a plan review due
 * within a week. Read through the Scope (work-queue facts); no HTTP.
 */
import { evaluateGate } from '../../../core/gates.ts';
import { ProgramDefinition } from '../../../core/program.ts';
import { agendaItems, participants } from '../../access/entities.ts';
import type { Scope } from '../../access/scope.ts';
import { gateFacts } from '../participants/service.ts';
import type { AgendaCandidates } from './schema.ts';
import { visibleMeeting } from './service.ts';

/**
 * Cases of the board's program the user may see that wait on a board: in a phase with a
 * `board_decision` exit gate whose other gates are met, or with a plan review due within a week.
 */
export async function agendaCandidates(scope: Scope, meetingId: string): Promise<AgendaCandidates> {
  scope.require('board.agenda', { type: 'agenda_item' });
  const { board } = await visibleMeeting(scope, meetingId);
  const program = await scope.shared
    .selectFrom('programs')
    .select('definition')
    .where('tenant_id', '=', scope.principal.tenantId)
    .where('id', '=', board.program_id)
    .executeTakeFirst();
  const def = program ? ProgramDefinition.safeParse(program.definition) : null;
  if (!def?.success) return { items: [] };
  const cases = await scope.list(participants, (q) =>
    q
      .where('participants.program_id', '=', board.program_id)
      .where('participants.status', '=', 'active')
      .orderBy('participants.code')
      .limit(500),
  );
  const onAgenda = new Set(
    (await scope.list(agendaItems, (q) => q.where('agenda_items.meeting_id', '=', meetingId))).map(
      (i) => i.participant_id,
    ),
  );
  const now = new Date();
  const out: AgendaCandidates['items'] = [];
  for (const c of cases) {
    if (onAgenda.has(c.id)) continue;
    const phase = def.data.phases.find((ph) => ph.key === c.phase_key);
    if (!phase) continue;
    if (phase.exitGates.some((g) => g.kind === 'board_decision')) {
      const facts = await gateFacts(scope, c);
      const others = phase.exitGates.filter((g) => g.kind !== 'board_decision');
      const board = evaluateGate({ kind: 'board_decision' }, facts, now);
      if (!board.met && others.every((g) => evaluateGate(g, facts, now).met)) {
        out.push({
          participantId: c.id,
          code: c.code,
          phaseKey: c.phase_key,
          source: 'gate_waiting',
          question: phase === def.data.phases.at(-1) ? 'exit_program' : 'move_to_next_phase',
        });
        continue;
      }
    }
    if (phase.reviewEveryDays && c.plan_approved_at) {
      const due = c.plan_approved_at.getTime() + phase.reviewEveryDays * 86_400_000;
      if (due - now.getTime() < 7 * 86_400_000)
        out.push({
          participantId: c.id,
          code: c.code,
          phaseKey: c.phase_key,
          source: 'plan_review',
          question: 'continue_in_phase',
        });
    }
  }
  return { items: out };
}
