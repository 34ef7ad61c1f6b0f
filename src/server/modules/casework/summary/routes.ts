/** Routes for /participants/{id}/summary.pdf. Thin: parse, scope, service, render after the commit, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, requireUser, router } from '../../../http/openapi.ts';
import { renderDocument } from '../../../pdf/index.ts';
import { IdParam } from '../../participants/schema.ts';
import { SummaryPdf, SummaryQuery } from './schema.ts';
import { caseSummaryDocument } from './service.ts';

export function summaryRoutes() {
  const app = router();
  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/summary.pdf',
      tags: ['participants'],
      summary: 'Case summary as PDF (audited)',
      request: { params: IdParam, query: SummaryQuery },
      responses: {
        200: { description: 'PDF', content: { 'application/pdf': { schema: SummaryPdf } } },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const { locale } = c.req.valid('query');
      const doc = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        caseSummaryDocument(scope, id, locale),
      );
      // Rendered after the commit: CPU-bound work must not hold a connection, a transaction and an audit chain.
      const pdf = await renderDocument(doc);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="case-summary.pdf"`,
      });
    },
  );
  return app;
}
