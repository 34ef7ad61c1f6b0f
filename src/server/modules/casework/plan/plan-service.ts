/**
 * The rehabilitation plan as a whole: read it, submit the current goals as a version, and approve or
 * return a version (a supervisor of the case team, not the submitter). Through the Scope; no HTTP.
 */
import { AppError } from '../../../../core/errors.ts';
import type { Scope } from '../../../access/scope.ts';
import { goalNotes, goals, participants, planVersions } from '../../../access/entities.ts';
import { requireTeamSupervisor } from '../team.ts';
import type { Plan, PlanDecisionRequest, PlanVersion } from './schema.ts';
import { goalView, versionView } from './views.ts';

/** Reads the whole plan of a visible participant: goals by domain with their notes, and the versions. */
export async function readPlan(scope: Scope, participantId: string): Promise<Plan> {
  const p = await scope.get(participants, participantId);
  // The participant read above is the audited event; goals and notes are read whole within it.
  scope.require(goals.actions.read, { type: 'goal' });
  const rows = await scope
    .select(goals)
    .where('goals.participant_id', '=', participantId)
    .selectAll()
    .orderBy('goals.domain')
    .orderBy('goals.created_at')
    .execute();
  const withText = await Promise.all(rows.map((g) => scope.reveal(goals, g)));
  const notes = await scope
    .select(goalNotes)
    .where('goal_notes.participant_id', '=', participantId)
    .selectAll()
    .orderBy('goal_notes.created_at')
    .execute();
  const notesView = await Promise.all(notes.map((n) => scope.reveal(goalNotes, n)));
  const versions = await scope.listFull(planVersions, (q) =>
    q.where('plan_versions.participant_id', '=', participantId).orderBy('plan_versions.number', 'desc'),
  );
  return {
    participantId,
    status: p.plan_status,
    approvedAt: p.plan_approved_at ? p.plan_approved_at.toISOString() : null,
    participantVersion: p.version,
    goals: withText.map((g) =>
      goalView(
        g,
        notesView.filter((n) => n.goal_id === g.id),
      ),
    ),
    versions: versions.map(versionView),
  };
}

/** Submits the current goals as a new plan version for approval; the plan must be a non-empty draft. */
export async function submitPlan(scope: Scope, participantId: string): Promise<PlanVersion> {
  scope.require(planVersions.actions.create, { type: 'plan_version' });
  await scope.get(participants, participantId, { forUpdate: true });
  const plan = await readPlan(scope, participantId);
  if (plan.goals.length === 0)
    throw new AppError('VALIDATION_FAILED', 'add at least one goal first', {
      details: [{ path: 'goals', code: 'empty' }],
    });
  if (plan.status !== 'draft')
    throw new AppError('VALIDATION_FAILED', 'the plan has not changed since it was submitted', {
      details: [{ path: 'status', code: plan.status }],
    });
  const number = (plan.versions[0]?.number ?? 0) + 1;
  const snapshot = JSON.stringify(plan.goals.map(({ notes: _n, ...g }) => g));
  const v = await scope.create(
    planVersions,
    { participant_id: plan.participantId, number, snapshot },
    { details: { number } },
  );
  await scope.setOwned(participants, plan.participantId, { plan_status: 'submitted' });
  return versionView(v);
}

/** Approves or returns a submitted plan version (four eyes; the latest version only; If-Match `version`). */
export async function decidePlan(
  scope: Scope,
  versionId: string,
  version: number,
  b: PlanDecisionRequest,
): Promise<PlanVersion> {
  const v = await scope.get(planVersions, versionId);
  // Lock the case first: goal edits lock it too, so approval cannot race a change.
  const p = await scope.get(participants, v.participant_id, { forUpdate: true });
  if (v.status !== 'submitted')
    throw new AppError('VALIDATION_FAILED', 'this version was already decided', {
      details: [{ path: 'status', code: String(v.status) }],
    });
  if (v.created_by === scope.principal.userId)
    throw new AppError('FORBIDDEN', 'someone other than the submitter must decide (four eyes)', {
      details: [{ path: 'decision', code: 'four_eyes' }],
    });
  await requireTeamSupervisor(scope, p.team_id);
  const latest = await scope
    .select(planVersions)
    .where('plan_versions.participant_id', '=', p.id)
    .select((eb) => eb.fn.max('plan_versions.number').as('n'))
    .executeTakeFirst();
  if (Number(latest?.n) !== v.number || p.plan_status !== 'submitted')
    throw new AppError('VALIDATION_FAILED', 'the goals changed after this version was submitted; submit again', {
      details: [{ path: 'status', code: 'superseded' }],
    });
  const approve = b.decision === 'approve';
  const u = await scope.update(
    planVersions,
    v.id,
    version,
    {
      status: approve ? 'approved' : 'returned',
      decided_by: scope.principal.userId,
      decided_at: new Date(),
      decision_note: b.note ?? null,
    },
    { details: { decision: b.decision } },
  );
  await scope.setOwned(
    participants,
    p.id,
    approve ? { plan_status: 'approved', plan_approved_at: new Date() } : { plan_status: 'draft' },
  );
  return versionView(u);
}
