/**
 * The gate engine: decides whether a participant may leave their current phase, and says exactly
 * which gate is unmet and why. Pure: the caller gathers the facts.
 */
import type { ConsentPurpose, Gate, Phase } from './program.ts';

/** What the engine needs to know about one participant. */
export interface GateFacts {
  phaseEnteredAt: Date;
  /** When the latest assessment was finalised, if any. */
  lastAssessmentFinalisedAt: Date | null;
  /** Whether the current plan version is approved. */
  planApproved: boolean;
  /** Consents and legal bases on record. */
  consents: { purpose: ConsentPurpose; status: 'given' | 'withdrawn'; expiresAt: Date | null }[];
  /** When a review board last decided in favour of leaving this phase, if ever (after entering it). */
  boardApprovedAt: Date | null;
}

/** The verdict on one gate, with the numbers a UI needs to explain it. */
export interface GateResult {
  gate: Gate;
  met: boolean;
  /** Stable reason code for the UI's message. */
  reason:
    | 'ok'
    | 'no_assessment'
    | 'assessment_too_old'
    | 'plan_not_approved'
    | 'consent_missing'
    | 'too_early'
    | 'no_board_decision'
    | 'board_approved';
  params: Record<string, string | number>;
}

const DAY = 86_400_000;

function daysBetween(a: Date, b: Date): number {
  return Math.floor((b.getTime() - a.getTime()) / DAY);
}

/** Evaluates one gate against the facts at time `now`. */
export function evaluateGate(gate: Gate, f: GateFacts, now: Date): GateResult {
  switch (gate.kind) {
    case 'assessment_finalised': {
      if (!f.lastAssessmentFinalisedAt)
        return { gate, met: false, reason: 'no_assessment', params: { withinDays: gate.withinDays } };
      const age = daysBetween(f.lastAssessmentFinalisedAt, now);
      return age <= gate.withinDays
        ? { gate, met: true, reason: 'ok', params: { ageDays: age, withinDays: gate.withinDays } }
        : { gate, met: false, reason: 'assessment_too_old', params: { ageDays: age, withinDays: gate.withinDays } };
    }
    case 'plan_approved':
      return f.planApproved
        ? { gate, met: true, reason: 'ok', params: {} }
        : { gate, met: false, reason: 'plan_not_approved', params: {} };
    case 'consents_recorded': {
      const valid = (p: ConsentPurpose) =>
        f.consents.some(
          (c) => c.purpose === p && c.status === 'given' && (!c.expiresAt || c.expiresAt.getTime() > now.getTime()),
        );
      const missing = gate.purposes.filter((p) => !valid(p));
      return missing.length === 0
        ? { gate, met: true, reason: 'ok', params: {} }
        : { gate, met: false, reason: 'consent_missing', params: { missing: missing.join(',') } };
    }
    case 'min_days_in_phase': {
      const elapsed = daysBetween(f.phaseEnteredAt, now);
      return elapsed >= gate.days
        ? { gate, met: true, reason: 'ok', params: { elapsed, days: gate.days } }
        : {
            gate,
            met: false,
            reason: 'too_early',
            params: { elapsed, days: gate.days, remaining: gate.days - elapsed },
          };
    }
    case 'board_decision': {
      const ok = f.boardApprovedAt !== null && f.boardApprovedAt.getTime() >= f.phaseEnteredAt.getTime();
      // Met: say when the board approved leaving the phase, so the phase tab can show it.
      return ok
        ? { gate, met: true, reason: 'board_approved', params: { decidedAt: f.boardApprovedAt!.toISOString() } }
        : { gate, met: false, reason: 'no_board_decision', params: {} };
    }
  }
}

/** Evaluates every exit gate of a phase; `ready` is true only when all are met. */
export function evaluateExit(phase: Phase, f: GateFacts, now: Date): { ready: boolean; results: GateResult[] } {
  const results = phase.exitGates.map((g) => evaluateGate(g, f, now));
  return { ready: results.every((r) => r.met), results };
}

/** Where a participant may move from `current`: the next phase (gated) or back to an earlier one. */
export function allowedMoves(phases: readonly Phase[], current: string): { forward: string | null; back: string[] } {
  const i = phases.findIndex((p) => p.key === current);
  if (i < 0) return { forward: null, back: [] };
  return { forward: phases[i + 1]?.key ?? null, back: phases.slice(0, i).map((p) => p.key) };
}
