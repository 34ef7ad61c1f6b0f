/** Routes for /participants/{id}/consents and /consents/{id}/withdraw. Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { IdParam } from '../../participants/schema.ts';
import { Consent, ConsentList, CreateConsentRequest, WithdrawConsentRequest } from './schema.ts';
import { listConsents, recordConsent, withdrawConsent } from './service.ts';

export function consentRoutes() {
  const app = router();
  const tags = ['consent'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/consents',
      tags,
      summary: 'Consents and legal bases of a participant',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ConsentList), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        listConsents(scope, id),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/consents',
      tags,
      summary: 'Record consent or a legal basis for a purpose',
      request: { params: IdParam, body: jsonBody(CreateConsentRequest) },
      responses: { 201: jsonResponse(Consent, 'Recorded'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        recordConsent(scope, id, b),
      );
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/consents/{id}/withdraw',
      tags,
      summary: 'Withdraw a consent (If-Match)',
      request: { params: IdParam, body: jsonBody(WithdrawConsentRequest) },
      responses: {
        200: jsonResponse(Consent),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const { id } = c.req.valid('param');
      const b = c.req.valid('json');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        withdrawConsent(scope, id, version, b),
      );
      etag(c, out.version);
      return c.json(out, 200);
    },
  );
  return app;
}
