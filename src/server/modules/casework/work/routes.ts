/** Routes for /work. Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { WorkQuery, WorkQueue } from './schema.ts';
import { workQueueFor } from './service.ts';

export function workRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/work',
      tags: ['work'],
      summary: 'Tasks and alerts for my cases or my supervised teams',
      request: { query: WorkQuery },
      responses: { 200: jsonResponse(WorkQueue), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const { view } = c.req.valid('query');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        workQueueFor(scope, view),
      );
      return c.json(out, 200);
    },
  );
  return app;
}
