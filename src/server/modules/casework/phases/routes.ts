/** Routes for /participants/{id}/gates and /participants/{id}/transitions. Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { IdParam } from '../../participants/schema.ts';
import { GateStatus, Transition, TransitionList, TransitionRequest } from './schema.ts';
import { gateStatus, listTransitions, movePhase } from './service.ts';

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
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        gateStatus(scope, id),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/transitions',
      tags,
      summary: 'Phase history',
      request: { params: IdParam },
      responses: { 200: jsonResponse(TransitionList), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        listTransitions(scope, id),
      );
      return c.json(out, 200);
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
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        movePhase(scope, id, version, b),
      );
      // The participant's version went up by one with the move.
      etag(c, version + 1);
      return c.json(out, 201);
    },
  );
  return app;
}
