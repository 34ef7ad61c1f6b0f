/** Routes for /participants/{id}/timeline and /participants/{id}/access-log. Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { IdParam } from '../../participants/schema.ts';
import { AccessLog, Timeline } from './schema.ts';
import { caseAccessLog, caseTimeline } from './service.ts';

export function timelineRoutes() {
  const app = router();
  const tags = ['participants'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/timeline',
      tags,
      summary: 'Everything that happened on the case, newest first',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Timeline), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        caseTimeline(scope, id),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/access-log',
      tags,
      summary: 'Who read, revealed or changed this record, and when',
      request: { params: IdParam },
      responses: { 200: jsonResponse(AccessLog), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        caseAccessLog(scope, id),
      );
      return c.json(out, 200);
    },
  );
  return app;
}
