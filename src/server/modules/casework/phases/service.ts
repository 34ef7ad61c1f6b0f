/**
 * Phase transitions through the gate engine: forward to the next phase when every exit gate is met
 * (or with a supervisor's written override), back to an earlier phase with a reason. Through the
 * Scope; no HTTP.
 */
import { AppError } from '../../../../core/errors.ts';
import { allows } from '../../../../core/roles.ts';
import { allowedMoves, evaluateExit } from '../../../../core/gates.ts';
import type { Scope, Visible } from '../../../access/scope.ts';
import { participants, transitions } from '../../../access/entities.ts';
import { loadProgram } from '../../programs/routes.ts';
import { gateFacts } from '../../participants/service.ts';
import { requireTeamSupervisor } from '../team.ts';
import type { GateStatus, Transition, TransitionList, TransitionRequest } from './schema.ts';

/** Where a participant stands: program, current phase, the gate verdict and the moves allowed. */
async function phaseState(scope: Scope, id: string, forUpdate = false) {
  const p = await scope.get(participants, id, { forUpdate });
  if (!p.program_id || !p.phase_key)
    throw new AppError('VALIDATION_FAILED', 'this participant is not in a program', {
      details: [{ path: 'programId', code: 'none' }],
    });
  const program = await loadProgram(scope.shared, scope.principal.tenantId, p.program_id);
  const phases = program.def.phases;
  const idx = phases.findIndex((ph) => ph.key === p.phase_key);
  const phase = phases[idx];
  if (!phase)
    throw new AppError('VALIDATION_FAILED', 'the current phase no longer exists in the program', {
      details: [{ path: 'phaseKey', code: 'unknown_phase' }],
    });
  const facts = await gateFacts(scope, p);
  const verdict = evaluateExit(phase, facts, new Date());
  const moves = allowedMoves(phases, phase.key);
  return { p, program, phase, idx, verdict, moves, facts };
}

/** A transition row as the API shows it (the reasons are decrypted for the roles that may read them). */
function transitionView(t: Visible<'transitions'>): Transition {
  return {
    id: t.id,
    fromPhase: t.from_phase,
    toPhase: t.to_phase,
    direction: t.direction,
    reason: t.reason ?? '',
    overrideReason: t.override_reason ?? null,
    createdBy: t.created_by,
    createdAt: t.created_at.toISOString(),
  };
}

/** The exit gates of the current phase: met or not, and why. */
export async function gateStatus(scope: Scope, participantId: string): Promise<GateStatus> {
  const r = await phaseState(scope, participantId);
  return {
    phaseKey: r.phase.key,
    phaseIndex: r.idx,
    phaseCount: r.program.def.phases.length,
    phaseEnteredAt: r.facts.phaseEnteredAt.toISOString(),
    next: r.moves.forward,
    back: r.moves.back,
    ready: r.verdict.ready,
    results: r.verdict.results.map((x) => ({ gate: { ...x.gate }, met: x.met, reason: x.reason, params: x.params })),
    participantVersion: r.p.version,
  };
}

/** A participant's phase history, newest first. */
export async function listTransitions(scope: Scope, participantId: string): Promise<TransitionList> {
  await scope.get(participants, participantId);
  const rows = await scope.listFull(transitions, (q) =>
    q.where('transitions.participant_id', '=', participantId).orderBy('transitions.created_at', 'desc'),
  );
  return { items: rows.map(transitionView) };
}

/**
 * Moves a participant to the next phase (gated; unmet gates need a supervisor's override) or back
 * to an earlier one. `version` is the participant's (If-Match); it goes up by one.
 */
export async function movePhase(
  scope: Scope,
  participantId: string,
  version: number,
  b: TransitionRequest,
): Promise<Transition> {
  scope.require('phase.transition', { type: 'participant', id: participantId });
  const st = await phaseState(scope, participantId, true);
  if (st.p.version !== version)
    throw new AppError('VERSION_CONFLICT', 'this record changed since you opened it', {
      details: [{ path: 'version', code: `current:${String(st.p.version)}` }],
    });
  const forward = b.toPhase === st.moves.forward;
  const back = st.moves.back.includes(b.toPhase);
  if (!forward && !back)
    throw new AppError('VALIDATION_FAILED', 'not a phase you can move to from here', {
      details: [{ path: 'toPhase', code: 'not_allowed' }],
    });
  let override: string | null = null;
  if (forward && !st.verdict.ready) {
    if (!b.overrideReason) {
      throw new AppError('VALIDATION_FAILED', 'exit gates are not met', {
        details: st.verdict.results
          .filter((x) => !x.met)
          .map((x) => ({ path: `gates.${x.gate.kind}`, code: x.reason })),
      });
    }
    if (!allows(scope.principal.roles, 'phase.override')) {
      scope.denials.push({
        action: 'phase.override',
        entityType: 'participant',
        entityId: st.p.id,
        outcome: 'denied',
        details: { reason: 'policy' },
      });
      throw new AppError('FORBIDDEN', 'only a supervisor can override unmet gates', {
        details: [{ path: 'overrideReason', code: 'supervisor_only' }],
      });
    }
    await requireTeamSupervisor(scope, st.p.team_id);
    override = b.overrideReason;
  }
  const t = await scope.create(
    transitions,
    {
      participant_id: st.p.id,
      from_phase: st.phase.key,
      to_phase: b.toPhase,
      direction: forward ? 'forward' : 'back',
      reason: b.reason,
      override_reason: override,
      gate_results: JSON.stringify(st.verdict.results),
    },
    {
      details: {
        from: st.phase.key,
        to: b.toPhase,
        override: override !== null,
        unmet: st.verdict.results
          .filter((x) => !x.met)
          .map((x) => x.gate.kind)
          .join(','),
      },
    },
  );
  await scope.setOwned(
    participants,
    st.p.id,
    { phase_key: b.toPhase, phase_entered_at: new Date() },
    { bumpVersion: true },
  );
  return transitionView(t);
}
