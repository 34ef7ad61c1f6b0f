/** HTTP routes for the data-protection officer: browse, verify and export the audit log (service.ts). */
import { createRoute } from '@hono/zod-openapi';
import { errors, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { AuditList, Filters, HeadsExport, VerifyResponse } from './schema.ts';
import { browseEvents, exportHeads, verifyTenant } from './service.ts';

/** Routes under /api/v1/audit. */
export function auditRoutes() {
  const app = router();
  const tags = ['audit'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/events',
      tags,
      summary: 'Browse audit events (newest first)',
      request: { query: Filters },
      responses: { 200: jsonResponse(AuditList), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) =>
      c.json(await browseEvents(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('query')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/verify',
      tags,
      summary: "Verify this tenant's hash chains and compare them with the signed anchors kept outside the database",
      responses: { 200: jsonResponse(VerifyResponse), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json(await verifyTenant(c.get('services'), requireUser(c), c.get('requestId')), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/audit/heads',
      tags,
      summary: 'Export signed chain heads (keep the file elsewhere to detect truncation)',
      responses: { 200: jsonResponse(HeadsExport), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const out = await exportHeads(c.get('services'), requireUser(c), c.get('requestId'));
      c.header(
        'Content-Disposition',
        `attachment; filename="sanad-audit-heads-${new Date().toISOString().slice(0, 10)}.json"`,
      );
      return c.json(out, 200);
    },
  );
  return app;
}
