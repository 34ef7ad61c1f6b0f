/**
 * Goals of a plan and their progress notes. Any change to what the plan says puts an approved or
 * submitted plan back to draft. Through the Scope; no HTTP.
 */
import { goalChangeNeedsReapproval } from '../../../../core/casework.ts';
import { AppError } from '../../../../core/errors.ts';
import type { Scope, Visible } from '../../../access/scope.ts';
import { goalNotes, goals, participants } from '../../../access/entities.ts';
import { loadProgram } from '../../programs/routes.ts';
import type { CreateGoalRequest, Goal, GoalNoteCreated, GoalNoteRequest, UpdateGoalRequest } from './schema.ts';
import { goalView } from './views.ts';

/** Any goal change makes an approved or submitted plan a draft again (server-owned field). */
async function backToDraft(scope: Scope, p: Pick<Visible<'participants'>, 'id' | 'plan_status'>): Promise<void> {
  if (p.plan_status !== 'draft') await scope.setOwned(participants, p.id, { plan_status: 'draft' });
}

/** The domain must be one the program works in; the responsible person must be on the case team. */
async function checkGoalFields(
  scope: Scope,
  p: Pick<Visible<'participants'>, 'program_id' | 'team_id'>,
  b: { domain?: string; responsibleUserId?: string | null },
): Promise<void> {
  if (b.domain) {
    const program = p.program_id ? (await loadProgram(scope.shared, scope.principal.tenantId, p.program_id)).def : null;
    if (program && !program.domains.some((d) => d === b.domain))
      throw new AppError('VALIDATION_FAILED', 'this program does not work in that domain', {
        details: [{ path: 'domain', code: 'not_in_program' }],
      });
  }
  if (b.responsibleUserId) {
    const member = await scope.shared
      .selectFrom('team_members')
      .select('user_id')
      .where('team_id', '=', p.team_id)
      .where('user_id', '=', b.responsibleUserId)
      .executeTakeFirst();
    if (!member)
      throw new AppError('VALIDATION_FAILED', 'the responsible person must be on the case team', {
        details: [{ path: 'responsibleUserId', code: 'not_on_team' }],
      });
  }
}

/** Adds a goal to a participant's plan. */
export async function addGoal(scope: Scope, participantId: string, b: CreateGoalRequest): Promise<Goal> {
  scope.require(goals.actions.create, { type: 'goal' });
  const p = await scope.get(participants, participantId, { forUpdate: true });
  await checkGoalFields(scope, p, b);
  const g = await scope.create(
    goals,
    {
      participant_id: p.id,
      domain: b.domain,
      title: b.title,
      indicator: b.indicator ?? null,
      interventions: b.interventions ?? null,
      responsible_user_id: b.responsibleUserId ?? null,
      target_date: b.targetDate ?? null,
    },
    { details: { domain: b.domain } },
  );
  await backToDraft(scope, p);
  return goalView(g);
}

/** Changes a goal if `version` still matches. */
export async function changeGoal(scope: Scope, goalId: string, version: number, b: UpdateGoalRequest): Promise<Goal> {
  const g = await scope.get(goals, goalId);
  const p = await scope.get(participants, g.participant_id, { forUpdate: true });
  await checkGoalFields(scope, p, b);
  const patch: Record<string, unknown> = {};
  if (b.title !== undefined) patch.title = b.title;
  if (b.indicator !== undefined) patch.indicator = b.indicator;
  if (b.interventions !== undefined) patch.interventions = b.interventions;
  if (b.responsibleUserId !== undefined) patch.responsible_user_id = b.responsibleUserId;
  if (b.targetDate !== undefined) patch.target_date = b.targetDate;
  if (b.status !== undefined) patch.status = b.status;
  if (b.progress !== undefined) patch.progress = b.progress;
  const u = await scope.update(goals, g.id, version, patch);
  // Progress and status are reporting; what the plan says (title, indicator, interventions, dates, who) needs re-approval.
  if (goalChangeNeedsReapproval({ columns: Object.keys(patch), statusBefore: g.status, statusAfter: b.status }))
    await backToDraft(scope, p);
  return goalView(u);
}

/** Adds a progress note (encrypted) to a goal. */
export async function addGoalNote(scope: Scope, goalId: string, b: GoalNoteRequest): Promise<GoalNoteCreated> {
  scope.require(goalNotes.actions.create, { type: 'goal_note' });
  const g = await scope.get(goals, goalId);
  const r = await scope.create(goalNotes, { participant_id: g.participant_id, goal_id: g.id, note: b.note });
  return { id: r.id, createdAt: r.created_at.toISOString() };
}
