/** Routes for /board-meetings/{id}/minutes.pdf. Thin: parse, scope, service, render after the commit, answer. */
import { createRoute, z } from '@hono/zod-openapi';
import { Scope } from '../../access/scope.ts';
import { errors, requireUser, router } from '../../http/openapi.ts';
import { renderDocument } from '../../pdf/index.ts';
import { IdParam } from '../participants/schema.ts';
import { minutesDocument } from './minutes.ts';

const MinutesQuery = z.object({ locale: z.enum(['en', 'ar', 'ur', 'fr']).optional() });

export function boardMinutesRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/board-meetings/{id}/minutes.pdf',
      tags: ['boards'],
      summary: 'The minutes of a meeting as PDF, in the chosen language (audited)',
      request: { params: IdParam, query: MinutesQuery },
      responses: {
        200: {
          description: 'PDF',
          content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { locale } = c.req.valid('query');
      const s = c.get('services');
      const doc = await Scope.run(s, requireUser(c), c.get('requestId'), (scope) =>
        minutesDocument(scope, s, id, locale),
      );
      // Rendered after the commit: CPU-bound work must not hold a connection, a transaction and an audit chain.
      const pdf = await renderDocument(doc);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'attachment; filename="board-minutes.pdf"',
      });
    },
  );
  return app;
}
