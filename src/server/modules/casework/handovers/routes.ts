/** Routes for /participants/{id}/team, /teams, /participants/{id}/handovers and /handovers/{id}/decision. Thin. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { IdParam } from '../../participants/schema.ts';
import { CaseTeam, Handover, HandoverDecisionRequest, HandoverRequest, TeamList } from './schema.ts';
import { caseTeam, decideHandover, listTeams, offerHandover } from './service.ts';

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
      responses: { 200: jsonResponse(CaseTeam), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        caseTeam(scope, id),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/teams',
      tags,
      summary: 'Teams of the tenant (to choose a handover target)',
      responses: { 200: jsonResponse(TeamList), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) => listTeams(scope));
      return c.json(out, 200);
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
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        offerHandover(scope, id, b),
      );
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/handovers/{id}/decision',
      tags,
      summary: 'Accept or decline (receiving team) or cancel (sending team) a handover (If-Match)',
      request: { params: IdParam, body: jsonBody(HandoverDecisionRequest) },
      responses: {
        200: jsonResponse(Handover),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        decideHandover(scope, id, version, b),
      );
      etag(c, out.version);
      return c.json(out, 200);
    },
  );
  return app;
}
