/** HTTP routes for the instrument registry and certifications (the operations: service.ts, service-certifications.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { errors, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { grantCertification, listCertifications, revokeCertification } from './service-certifications.ts';
import { Cert, GrantRequest, ImportRequest, KeyParam, Summary, UserParam, Visible, WordingRequest } from './schema.ts';
import { getInstrumentVersion, importInstrument, listInstruments, retireInstrument, uploadWording } from './service.ts';

/** Re-exported for the assessment modules, which read instruments and certifications. */
export { certificationsOf, findInstrument } from './service.ts';

/** Routes under /api/v1/instruments and the certification routes. */
export function instrumentRoutes() {
  const app = router();
  const tags = ['instruments'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/instruments',
      tags,
      summary: 'Instruments available to the tenant, with whether I am certified for each',
      responses: {
        200: jsonResponse(z.object({ items: z.array(Summary) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => c.json({ items: await listInstruments(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/instruments/{key}/versions/{version}',
      tags,
      summary: 'One instrument version; item wording only for certified users',
      request: { params: KeyParam },
      responses: { 200: jsonResponse(Visible), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const { key, version } = c.req.valid('param');
      return c.json(
        await getInstrumentVersion(c.get('services'), requireUser(c), c.get('requestId'), key, version),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/instruments',
      tags,
      summary: 'Import an instrument version (validated; field paths on error)',
      request: { body: jsonBody(ImportRequest) },
      responses: {
        201: jsonResponse(Summary, 'Imported'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'ALREADY_EXISTS'),
      },
    }),
    async (c) =>
      c.json(await importInstrument(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('json')), 201),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/instruments/{key}/versions/{version}/retire',
      tags,
      summary: 'Retire an imported version (finished assessments keep theirs)',
      request: { params: KeyParam },
      responses: { 204: { description: 'Retired' }, ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const { key, version } = c.req.valid('param');
      await retireInstrument(c.get('services'), requireUser(c), c.get('requestId'), key, version);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/instruments/{key}/versions/{version}/wording',
      tags,
      summary: "Upload the licensee's item wording for this tenant",
      request: { params: KeyParam, body: jsonBody(WordingRequest) },
      responses: { 204: { description: 'Stored' }, ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const { key, version } = c.req.valid('param');
      await uploadWording(c.get('services'), p, c.get('requestId'), key, version, c.req.valid('json').items);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users/{id}/certifications',
      tags: ['users'],
      summary: "A user's certifications",
      request: { params: UserParam },
      responses: {
        200: jsonResponse(z.object({ items: z.array(Cert) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const items = await listCertifications(c.get('services'), p, c.get('requestId'), c.req.valid('param').id);
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/certifications',
      tags: ['users'],
      summary: 'Grant a certification with an expiry',
      request: { params: UserParam, body: jsonBody(GrantRequest) },
      responses: { 201: jsonResponse(Cert, 'Granted'), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const id = c.req.valid('param').id;
      return c.json(await grantCertification(c.get('services'), p, c.get('requestId'), id, c.req.valid('json')), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/certifications/{id}/revoke',
      tags: ['users'],
      summary: 'Revoke a certification',
      request: { params: UserParam },
      responses: { 200: jsonResponse(Cert), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) =>
      c.json(
        await revokeCertification(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id),
        200,
      ),
  );
  return app;
}
