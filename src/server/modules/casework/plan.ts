/**
 * The rehabilitation plan: goals per domain with indicators, interventions, a responsible member,
 * target date, status and progress notes; versions submitted and approved by a supervisor.
 * Any change to goals puts an approved plan back to draft.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../../core/errors.ts';
import { DomainKey, GOAL_STATUSES, IsoDate, NOTE_MAX } from '../../../core/participant.ts';
import { safeText } from '../../../core/text.ts';
import { Scope } from '../../access/scope.ts';
import { goalNotes, goals, participants, planVersions } from '../../access/entities.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { loadProgram } from '../programs/routes.ts';

const Goal = z
  .object({
    id: z.string(),
    participantId: z.string(),
    domain: z.string(),
    title: z.string(),
    indicator: z.string().nullable(),
    interventions: z.string().nullable(),
    responsibleUserId: z.string().nullable(),
    targetDate: z.string().nullable(),
    status: z.enum(GOAL_STATUSES),
    progress: z.number(),
    version: z.number(),
    notes: z
      .array(z.object({ id: z.string(), note: z.string(), createdBy: z.string(), createdAt: z.string() }))
      .optional(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Goal');
const PlanVersion = z
  .object({
    id: z.string(),
    number: z.number(),
    status: z.enum(['submitted', 'approved', 'returned']),
    createdBy: z.string(),
    createdAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    decisionNote: z.string().nullable(),
    version: z.number(),
  })
  .openapi('PlanVersion');
const Plan = z
  .object({
    participantId: z.string(),
    status: z.enum(['draft', 'submitted', 'approved']),
    approvedAt: z.string().nullable(),
    participantVersion: z.number(),
    goals: z.array(Goal),
    versions: z.array(PlanVersion),
  })
  .openapi('Plan');
const GoalFields = {
  title: safeText(300),
  indicator: z.string().trim().max(1000).nullable().optional(),
  interventions: z.string().trim().max(2000).nullable().optional(),
  responsibleUserId: z.string().uuid().nullable().optional(),
  targetDate: IsoDate.nullable().optional(),
};
const CreateGoalRequest = z.strictObject({ domain: DomainKey, ...GoalFields }).openapi('CreateGoalRequest');
const UpdateGoalRequest = z
  .strictObject({
    ...GoalFields,
    title: GoalFields.title.optional(),
    status: z.enum(GOAL_STATUSES).optional(),
    progress: z.number().int().min(0).max(100).optional(),
  })
  .openapi('UpdateGoalRequest');
const NoteRequest = z.strictObject({ note: z.string().trim().min(1).max(NOTE_MAX) }).openapi('GoalNoteRequest');
const DecisionRequest = z
  .strictObject({ decision: z.enum(['approve', 'return']), note: z.string().trim().max(2000).optional() })
  .openapi('PlanDecisionRequest');
const IdParam = z.object({ id: z.string().max(64) });

const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);

function goalView(r: Record<string, unknown>, notes?: Record<string, unknown>[]) {
  return {
    id: r.id as string,
    participantId: r.participant_id as string,
    domain: r.domain as string,
    title: (r.title as string) ?? '',
    indicator: (r.indicator as string | null) ?? null,
    interventions: (r.interventions as string | null) ?? null,
    responsibleUserId: (r.responsible_user_id as string | null) ?? null,
    targetDate: (r.target_date as string | null) ?? null,
    status: r.status as (typeof GOAL_STATUSES)[number],
    progress: r.progress as number,
    version: r.version as number,
    ...(notes
      ? {
          notes: notes.map((n) => ({
            id: n.id as string,
            note: (n.note as string) ?? '',
            createdBy: n.created_by as string,
            createdAt: (n.created_at as Date).toISOString(),
          })),
        }
      : {}),
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

function versionView(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    number: r.number as number,
    status: r.status as 'submitted' | 'approved' | 'returned',
    createdBy: r.created_by as string,
    createdAt: (r.created_at as Date).toISOString(),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: iso(r.decided_at),
    decisionNote: (r.decision_note as string | null) ?? null,
    version: r.version as number,
  };
}

/** Reads the whole plan of a visible participant. */
async function readPlan(scope: Scope, participantId: string) {
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
  const withText = await Promise.all(rows.map((g) => scope.reveal(goals, g as never)));
  const notes = await scope
    .select(goalNotes)
    .where('goal_notes.participant_id', '=', participantId)
    .selectAll()
    .orderBy('goal_notes.created_at')
    .execute();
  const notesView = await Promise.all(notes.map((n) => scope.reveal(goalNotes, n as never)));
  const versions = await scope.listFull(planVersions, (q) =>
    q.where('plan_versions.participant_id', '=', participantId).orderBy('plan_versions.number', 'desc'),
  );
  return {
    participantId,
    status: p.plan_status as 'draft' | 'submitted' | 'approved',
    approvedAt: iso(p.plan_approved_at),
    participantVersion: p.version as number,
    goals: withText.map((g) =>
      goalView(
        g,
        notesView.filter((n) => n.goal_id === g.id),
      ),
    ),
    versions: versions.map(versionView),
  };
}

/** Any goal change makes an approved or submitted plan a draft again (server-owned field). */
async function backToDraft(scope: Scope, participantId: string, current: string): Promise<void> {
  if (current !== 'draft') await scope.setOwned(participants, participantId, { plan_status: 'draft' });
}

async function checkGoalFields(
  scope: Scope,
  p: Record<string, unknown>,
  b: { domain?: string; responsibleUserId?: string | null },
): Promise<void> {
  if (b.domain) {
    const program = p.program_id
      ? (await loadProgram(scope.tx, scope.principal.tenantId, p.program_id as string)).def
      : null;
    if (program && !program.domains.includes(b.domain as never))
      throw new AppError('VALIDATION_FAILED', 'this program does not work in that domain', {
        details: [{ path: 'domain', code: 'not_in_program' }],
      });
  }
  if (b.responsibleUserId) {
    const member = await scope.tx
      .selectFrom('team_members')
      .select('user_id')
      .where('team_id', '=', p.team_id as string)
      .where('user_id', '=', b.responsibleUserId)
      .executeTakeFirst();
    if (!member)
      throw new AppError('VALIDATION_FAILED', 'the responsible person must be on the case team', {
        details: [{ path: 'responsibleUserId', code: 'not_on_team' }],
      });
  }
}

/** Refuses unless the principal supervises the team that holds the case. */
export async function requireTeamSupervisor(scope: Scope, teamId: string): Promise<void> {
  const row = await scope.tx
    .selectFrom('team_members')
    .select('user_id')
    .where('team_id', '=', teamId)
    .where('user_id', '=', scope.principal.userId)
    .where('membership', '=', 'supervisor')
    .executeTakeFirst();
  if (!row)
    throw new AppError('FORBIDDEN', 'only a supervisor of this case team can do this', {
      details: [{ path: 'team', code: 'not_team_supervisor' }],
    });
}

/** Routes for plans, goals, notes and plan versions. */
export function planRoutes() {
  const app = router();
  const tags = ['plan'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');
  const writes = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/plan',
      tags,
      summary: 'The plan: goals by domain, notes, versions',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Plan), ...common },
    }),
    async (c) => {
      return c.json(
        await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
          readPlan(scope, c.req.valid('param').id),
        ),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/goals',
      tags,
      summary: 'Add a goal',
      request: { params: IdParam, body: jsonBody(CreateGoalRequest) },
      responses: { 201: jsonResponse(Goal, 'Added'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(goals.actions.create, { type: 'goal' });
        const p = await scope.get(participants, c.req.valid('param').id, { forUpdate: true });
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
        await backToDraft(scope, p.id as string, p.plan_status as string);
        return g;
      });
      etag(c, r.version as number);
      return c.json(goalView(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/goals/{id}',
      tags,
      summary: 'Change a goal (If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateGoalRequest) },
      responses: { 200: jsonResponse(Goal), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const g = await scope.get(goals, c.req.valid('param').id);
        const p = await scope.get(participants, g.participant_id as string, { forUpdate: true });
        await checkGoalFields(scope, p, b);
        const patch: Record<string, unknown> = {};
        const map = {
          title: 'title',
          indicator: 'indicator',
          interventions: 'interventions',
          responsibleUserId: 'responsible_user_id',
          targetDate: 'target_date',
          status: 'status',
          progress: 'progress',
        } as const;
        for (const [k, col] of Object.entries(map))
          if ((b as Record<string, unknown>)[k] !== undefined) patch[col] = (b as Record<string, unknown>)[k];
        const u = await scope.update(goals, g.id as string, version, patch);
        // Progress and status are reporting; what the plan says (title, indicator, interventions, dates, who) needs re-approval.
        const reopened = g.status === 'discontinued' && b.status !== undefined && b.status !== 'discontinued';
        if (
          ['title', 'indicator', 'interventions', 'responsible_user_id', 'target_date'].some((k) => k in patch) ||
          b.status === 'discontinued' ||
          reopened
        )
          await backToDraft(scope, p.id as string, p.plan_status as string);
        return u;
      });
      etag(c, r.version as number);
      return c.json(goalView(r), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/goals/{id}/notes',
      tags,
      summary: 'Add a progress note (encrypted)',
      request: { params: IdParam, body: jsonBody(NoteRequest) },
      responses: { 201: jsonResponse(z.object({ id: z.string(), createdAt: z.string() }), 'Added'), ...common },
    }),
    async (c) => {
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(goalNotes.actions.create, { type: 'goal_note' });
        const g = await scope.get(goals, c.req.valid('param').id);
        return scope.create(goalNotes, {
          participant_id: g.participant_id,
          goal_id: g.id,
          note: c.req.valid('json').note,
        });
      });
      return c.json({ id: r.id as string, createdAt: (r.created_at as Date).toISOString() }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/plan/submit',
      tags,
      summary: 'Submit the current goals as a new plan version for approval',
      request: { params: IdParam },
      responses: { 201: jsonResponse(PlanVersion, 'Submitted'), ...common },
    }),
    async (c) => {
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(planVersions.actions.create, { type: 'plan_version' });
        await scope.get(participants, c.req.valid('param').id, { forUpdate: true });
        const plan = await readPlan(scope, c.req.valid('param').id);
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
        return v;
      });
      return c.json(versionView(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/plan-versions/{id}/decision',
      tags,
      summary: 'Approve or return a submitted plan (supervisor, If-Match)',
      request: { params: IdParam, body: jsonBody(DecisionRequest) },
      responses: { 200: jsonResponse(PlanVersion), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const v = await scope.get(planVersions, c.req.valid('param').id);
        // Lock the case first: goal edits lock it too, so approval cannot race a change.
        const p = await scope.get(participants, v.participant_id as string, { forUpdate: true });
        if (v.status !== 'submitted')
          throw new AppError('VALIDATION_FAILED', 'this version was already decided', {
            details: [{ path: 'status', code: String(v.status) }],
          });
        if (v.created_by === scope.principal.userId)
          throw new AppError('FORBIDDEN', 'someone other than the submitter must decide (four eyes)', {
            details: [{ path: 'decision', code: 'four_eyes' }],
          });
        await requireTeamSupervisor(scope, p.team_id as string);
        const latest = await scope
          .select(planVersions)
          .where('plan_versions.participant_id', '=', p.id as string)
          .select((eb) => eb.fn.max('plan_versions.number').as('n'))
          .executeTakeFirst();
        if (Number(latest?.n) !== v.number || p.plan_status !== 'submitted')
          throw new AppError('VALIDATION_FAILED', 'the goals changed after this version was submitted; submit again', {
            details: [{ path: 'status', code: 'superseded' }],
          });
        const approve = b.decision === 'approve';
        const u = await scope.update(
          planVersions,
          v.id as string,
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
          p.id as string,
          approve ? { plan_status: 'approved', plan_approved_at: new Date() } : { plan_status: 'draft' },
        );
        return u;
      });
      etag(c, r.version as number);
      return c.json(versionView(r), 200);
    },
  );
  return app;
}
