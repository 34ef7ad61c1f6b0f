/**
 * What a board decision sets in motion on the case: its conditions become plan goals in one step
 * (once; the plan then goes back to draft for approval, as any goal change does). The next review
 * date becomes a work-queue task by itself (work/service.ts). No HTTP.
 */
import { AppError } from '../../../core/errors.ts';
import { boardDecisions } from '../../access/entities.ts';
import type { Scope } from '../../access/scope.ts';
import { addGoal } from '../casework/plan/goals-service.ts';
import type { ConditionsToGoalsRequest, ConditionsToGoalsResult } from './schema.ts';

export async function conditionsToGoals(
  scope: Scope,
  decisionId: string,
  b: ConditionsToGoalsRequest,
): Promise<ConditionsToGoalsResult> {
  scope.require('plan.write', { type: 'board_decision', id: decisionId });
  // Locked: two clicks (or two colleagues) cannot both turn the conditions into goals.
  const d = await scope.get(boardDecisions, decisionId, { forUpdate: true, purpose: 'board_meeting' });
  const conditions = d.conditions ? (JSON.parse(d.conditions) as string[]) : [];
  if (!conditions.length)
    throw new AppError('VALIDATION_FAILED', 'the decision set no conditions', {
      details: [{ path: 'conditions', code: 'empty' }],
    });
  if (d.conditions_applied_at)
    throw new AppError('ALREADY_EXISTS', 'the conditions are already plan goals', {
      details: [{ path: 'conditions', code: 'already_applied' }],
    });
  const goalIds: string[] = [];
  for (const title of conditions)
    goalIds.push((await addGoal(scope, d.participant_id, { domain: b.domain, title, targetDate: b.targetDate })).id);
  await scope.setOwned(boardDecisions, d.id, { conditions_applied_at: new Date() });
  return { participantId: d.participant_id, goalIds };
}
