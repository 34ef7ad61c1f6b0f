/** Routes for /sessions and /participants/{id}/sessions (case sessions). Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, jsonBody, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { IdParam } from '../../participants/schema.ts';
import { CaseSession, CaseSessionPage, CaseSessionPageQuery, CreateCaseSessionRequest } from './schema.ts';
import { listParticipantCaseSessions, readCaseSession, recordCaseSession } from './service.ts';

export function caseSessionRoutes() {
  const app = router();
  const tags = ['sessions'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'post',
      path: '/sessions',
      tags,
      summary: 'Record a session (individual, group or family)',
      request: { body: jsonBody(CreateCaseSessionRequest) },
      responses: { 201: jsonResponse(CaseSession, 'Recorded'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        recordCaseSession(scope, b),
      );
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/sessions/{id}',
      tags,
      summary: 'One session with attendees and notes (audited)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(CaseSession), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        readCaseSession(scope, id),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/sessions',
      tags,
      summary: "A participant's sessions, newest first (keyset)",
      request: { params: IdParam, query: CaseSessionPageQuery },
      responses: { 200: jsonResponse(CaseSessionPage), ...common },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        listParticipantCaseSessions(scope, id, q),
      );
      return c.json(out, 200);
    },
  );
  return app;
}
