/**
 * Phase transitions through the gate engine: forward to the next phase when every exit gate is met
 * (or with a supervisor's written override), back to an earlier phase with a reason.
 */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../../core/errors.ts';
import { allows } from '../../../core/roles.ts';
import { allowedMoves, evaluateExit } from '../../../core/gates.ts';
import { Scope } from '../../access/scope.ts';
import { participants, transitions } from '../../access/entities.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { loadProgram } from '../programs/routes.ts';
import { gateFacts } from '../participants/service.ts';
import { requireTeamSupervisor } from './plan.ts';

const GateResult = z.object({
  gate: z.record(z.string(), z.unknown()),
  met: z.boolean(),
  reason: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
});
const GateStatus = z
  .object({
    phaseKey: z.string(),
    phaseIndex: z.number(),
    phaseCount: z.number(),
    phaseEnteredAt: z.string(),
    next: z.string().nullable(),
    back: z.array(z.string()),
    ready: z.boolean(),
    results: z.array(GateResult),
    participantVersion: z.number(),
  })
  .openapi('GateStatus');
const TransitionRequest = z
  .strictObject({
    toPhase: z.string().max(40),
    reason: z.string().trim().min(3).max(2000),
    overrideReason: z.string().trim().min(10).max(2000).optional(),
  })
  .openapi('TransitionRequest');
const Transition = z
  .object({
    id: z.string(),
    fromPhase: z.string(),
    toPhase: z.string(),
    direction: z.enum(['forward', 'back']),
    reason: z.string(),
    overrideReason: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
  })
  .openapi('Transition');
const IdParam = z.object({ id: z.string().max(64) });

async function status(scope: Scope, id: string, forUpdate = false) {
  const p = await scope.get(participants, id, { forUpdate });
  if (!p.program_id || !p.phase_key)
    throw new AppError('VALIDATION_FAILED', 'this participant is not in a program', {
      details: [{ path: 'programId', code: 'none' }],
    });
  const program = await loadProgram(scope.tx, scope.principal.tenantId, p.program_id as string);
  const phases = program.def.phases;
  const idx = phases.findIndex((ph) => ph.key === p.phase_key);
  const phase = phases[idx];
  if (!phase)
    throw new AppError('VALIDATION_FAILED', 'the current phase no longer exists in the program', {
      details: [{ path: 'phaseKey', code: 'unknown_phase' }],
    });
  const facts = await gateFacts(scope, p as never);
  const verdict = evaluateExit(phase, facts, new Date());
  const moves = allowedMoves(phases, phase.key);
  return { p, program, phase, idx, verdict, moves, facts };
}

/** Routes for /participants/{id}/gates and /participants/{id}/transitions. */
export function phaseRoutes() {
  const app = router();
  const tags = ['phases'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/gates',
      tags,
      summary: 'Exit gates of the current phase: met or not, and why',
      request: { params: IdParam },
      responses: { 200: jsonResponse(GateStatus), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        status(scope, c.req.valid('param').id),
      );
      return c.json(
        {
          phaseKey: r.phase.key,
          phaseIndex: r.idx,
          phaseCount: r.program.def.phases.length,
          phaseEnteredAt: r.facts.phaseEnteredAt.toISOString(),
          next: r.moves.forward,
          back: r.moves.back,
          ready: r.verdict.ready,
          results: r.verdict.results.map((x) => ({
            gate: { ...x.gate } as Record<string, string | number | string[]>,
            met: x.met,
            reason: x.reason,
            params: x.params,
          })),
          participantVersion: r.p.version as number,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/transitions',
      tags,
      summary: 'Phase history',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(Transition) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const items = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        await scope.get(participants, c.req.valid('param').id);
        return scope.listFull(transitions, (q) =>
          q.where('transitions.participant_id', '=', c.req.valid('param').id).orderBy('transitions.created_at', 'desc'),
        );
      });
      return c.json(
        {
          items: items.map((t) => ({
            id: t.id as string,
            fromPhase: t.from_phase as string,
            toPhase: t.to_phase as string,
            direction: t.direction as 'forward' | 'back',
            reason: t.reason as string,
            overrideReason: (t.override_reason as string | null) ?? null,
            createdBy: t.created_by as string,
            createdAt: (t.created_at as Date).toISOString(),
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/transitions',
      tags,
      summary: 'Move to the next phase (gated; override needs a supervisor) or back (If-Match on the participant)',
      request: { params: IdParam, body: jsonBody(TransitionRequest) },
      responses: {
        201: jsonResponse(Transition, 'Moved'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require('phase.transition', { type: 'participant', id: c.req.valid('param').id });
        const st = await status(scope, c.req.valid('param').id, true);
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
              entityId: st.p.id as string,
              outcome: 'denied',
              details: { reason: 'policy' },
            });
            throw new AppError('FORBIDDEN', 'only a supervisor can override unmet gates', {
              details: [{ path: 'overrideReason', code: 'supervisor_only' }],
            });
          }
          await requireTeamSupervisor(scope, st.p.team_id as string);
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
          st.p.id as string,
          { phase_key: b.toPhase, phase_entered_at: new Date() },
          { bumpVersion: true },
        );
        return t;
      });
      etag(c, version + 1);
      return c.json(
        {
          id: r.id as string,
          fromPhase: r.from_phase as string,
          toPhase: r.to_phase as string,
          direction: r.direction as 'forward' | 'back',
          reason: r.reason as string,
          overrideReason: (r.override_reason as string | null) ?? null,
          createdBy: r.created_by as string,
          createdAt: (r.created_at as Date).toISOString(),
        },
        201,
      );
    },
  );
  return app;
}
