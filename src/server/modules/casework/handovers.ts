/** Handover of a case to another team: requested by the current team, accepted or declined by the receiving team. */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../../core/errors.ts';
import { Scope } from '../../access/scope.ts';
import { handovers, participants } from '../../access/entities.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';

const Handover = z
  .object({
    id: z.string(),
    participantId: z.string(),
    fromTeamId: z.string(),
    toTeamId: z.string(),
    status: z.enum(['pending', 'accepted', 'declined', 'cancelled']),
    reason: z.string(),
    createdBy: z.string(),
    createdAt: z.string(),
    decidedBy: z.string().nullable(),
    decidedAt: z.string().nullable(),
    version: z.number(),
  })
  .openapi('Handover');
const HandoverRequest = z
  .strictObject({ toTeamId: z.string().uuid(), reason: z.string().trim().min(3).max(2000) })
  .openapi('HandoverRequest');
const DecisionRequest = z
  .strictObject({ decision: z.enum(['accept', 'decline', 'cancel']) })
  .openapi('HandoverDecisionRequest');
const IdParam = z.object({ id: z.string().max(64) });

function view(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    participantId: r.participant_id as string,
    fromTeamId: r.from_team_id as string,
    toTeamId: r.to_team_id as string,
    status: r.status as 'pending' | 'accepted' | 'declined' | 'cancelled',
    reason: r.reason as string,
    createdBy: r.created_by as string,
    createdAt: (r.created_at as Date).toISOString(),
    decidedBy: (r.decided_by as string | null) ?? null,
    decidedAt: r.decided_at instanceof Date ? r.decided_at.toISOString() : null,
    version: r.version as number,
  };
}

/** Routes for /participants/{id}/handovers and /handovers/{id}/decision. */
export function handoverRoutes() {
  const app = router();
  const tags = ['team'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/team',
      tags,
      summary: 'The case team (members, disciplines, supervisors) and handovers',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({
            teamId: z.string(),
            teamName: z.string(),
            members: z.array(
              z.object({
                userId: z.string(),
                displayName: z.string(),
                membership: z.string(),
                discipline: z.string().nullable(),
              }),
            ),
            handovers: z.array(Handover),
          }),
        ),
        ...common,
      },
    }),
    async (c) => {
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const p = await scope.get(participants, c.req.valid('param').id);
        const team = await scope.tx
          .selectFrom('teams')
          .select(['id', 'name'])
          .where('id', '=', p.team_id as string)
          .executeTakeFirstOrThrow();
        const members = await scope.tx
          .selectFrom('team_members as m')
          .innerJoin('users as u', 'u.id', 'm.user_id')
          .select(['m.user_id', 'u.display_name', 'm.membership', 'm.discipline'])
          .where('m.team_id', '=', team.id)
          .orderBy('m.membership', 'desc')
          .orderBy('u.display_name')
          .execute();
        const hs = await scope.listFull(handovers, (q) =>
          q.where('handovers.participant_id', '=', p.id as string).orderBy('handovers.created_at', 'desc'),
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
          handovers: hs.map(view),
        };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/teams',
      tags,
      summary: 'Teams of the tenant (to choose a handover target)',
      responses: {
        200: jsonResponse(
          z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), mine: z.boolean() })) }),
        ),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require('participant.list', { type: 'team' });
        const mine = new Set(await scope.teamIds());
        const rows = await scope.tx
          .selectFrom('teams')
          .select(['id', 'name'])
          .where('tenant_id', '=', scope.principal.tenantId)
          .orderBy('name')
          .execute();
        return rows.map((t) => ({ id: t.id, name: t.name, mine: mine.has(t.id) }));
      });
      return c.json({ items: out }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/handovers',
      tags,
      summary: 'Offer the case to another team',
      request: { params: IdParam, body: jsonBody(HandoverRequest) },
      responses: {
        201: jsonResponse(Handover, 'Offered'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_EXISTS'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(handovers.actions.create, { type: 'handover' });
        const p = await scope.get(participants, c.req.valid('param').id);
        if (!(await scope.teamIds()).includes(p.team_id as string))
          throw new AppError('FORBIDDEN', 'only the current team can hand a case over');
        if (b.toTeamId === p.team_id)
          throw new AppError('VALIDATION_FAILED', 'that is the current team', {
            details: [{ path: 'toTeamId', code: 'same_team' }],
          });
        const target = await scope.tx
          .selectFrom('teams')
          .select('id')
          .where('tenant_id', '=', scope.principal.tenantId)
          .where('id', '=', b.toTeamId)
          .executeTakeFirst();
        if (!target)
          throw new AppError('VALIDATION_FAILED', 'unknown team', {
            details: [{ path: 'toTeamId', code: 'unknown_team' }],
          });
        return scope.create(handovers, {
          participant_id: p.id,
          from_team_id: p.team_id,
          to_team_id: b.toTeamId,
          reason: b.reason,
        });
      });
      etag(c, r.version as number);
      return c.json(view(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/handovers/{id}/decision',
      tags,
      summary: 'Accept or decline (receiving team) or cancel (sending team) a handover (If-Match)',
      request: { params: IdParam, body: jsonBody(DecisionRequest) },
      responses: {
        200: jsonResponse(Handover),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const { decision } = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        if (decision === 'accept') {
          await scope.acceptHandover(c.req.valid('param').id, version);
          return scope.get(handovers, c.req.valid('param').id);
        }
        const h = await scope.get(handovers, c.req.valid('param').id);
        if (h.status !== 'pending')
          throw new AppError('VALIDATION_FAILED', 'this handover was already decided', {
            details: [{ path: 'status', code: String(h.status) }],
          });
        const side = decision === 'cancel' ? (h.from_team_id as string) : (h.to_team_id as string);
        if (!(await scope.teamIds()).includes(side))
          throw new AppError(
            'FORBIDDEN',
            decision === 'cancel' ? 'only the sending team can cancel' : 'only the receiving team can decline',
            { details: [{ path: 'decision', code: 'wrong_team' }] },
          );
        return scope.update(
          handovers,
          h.id as string,
          version,
          {
            status: decision === 'decline' ? 'declined' : 'cancelled',
            decided_by: scope.principal.userId,
            decided_at: new Date(),
          },
          { details: { decision } },
        );
      });
      etag(c, r.version as number);
      return c.json(view(r), 200);
    },
  );
  return app;
}
