/** Participants: intake (search before create), caseload, record, audited identity reveal. Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../access/scope.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { rateLimit } from '../auth/throttle.ts';
import { listCaseload, searchParticipants } from './caseload-service.ts';
import { createParticipant, getParticipant, revealParticipant, updateParticipant } from './service.ts';
import {
  CaseloadQuery,
  CreateParticipantRequest,
  IdParam,
  Participant,
  ParticipantList,
  ParticipantSearchRequest,
  ParticipantSearchResult,
  ParticipantWithAlerts,
  RevealRequest,
  RevealResponse,
  UpdateParticipantRequest,
} from './schema.ts';

const common = errors('UNAUTHENTICATED', 'MFA_REQUIRED', 'FORBIDDEN', 'NOT_FOUND');

/** Routes under /api/v1/participants. */
export function participantRoutes() {
  const app = router();
  const tags = ['participants'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants',
      tags,
      summary: 'The caseload: filters, sort, code search, keyset pages',
      request: { query: CaseloadQuery },
      responses: { 200: jsonResponse(ParticipantList), ...common },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        listCaseload(scope, q),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/search',
      tags,
      summary: 'Search before create: likely duplicates in your teams, and why they match',
      request: { body: jsonBody(ParticipantSearchRequest) },
      responses: { 200: jsonResponse(ParticipantSearchResult), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const s = c.get('services');
      const principal = requireUser(c);
      await rateLimit(s.db, `search:user:${principal.userId}`, 30, 60);
      const out = await Scope.run(s, principal, c.get('requestId'), (scope) => searchParticipants(scope, s, b));
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}',
      tags,
      summary: 'One participant with its alerts (audited read; identity only via reveal)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(ParticipantWithAlerts), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        getParticipant(scope, id),
      );
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants',
      tags,
      summary: 'Register a participant (intake) in one of my teams',
      request: { body: jsonBody(CreateParticipantRequest) },
      responses: {
        201: jsonResponse(Participant, 'Created'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_EXISTS'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const s = c.get('services');
      const out = await Scope.run(s, requireUser(c), c.get('requestId'), (scope) => createParticipant(scope, s, b));
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/participants/{id}',
      tags,
      summary: 'Update a participant (If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateParticipantRequest) },
      responses: {
        200: jsonResponse(Participant),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const s = c.get('services');
      const out = await Scope.run(s, requireUser(c), c.get('requestId'), (scope) =>
        updateParticipant(scope, s, id, version, b),
      );
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/reveal',
      tags,
      summary: 'Reveal identity and family contacts for a stated purpose (audited)',
      request: { params: IdParam, body: jsonBody(RevealRequest) },
      responses: { 200: jsonResponse(RevealResponse), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        revealParticipant(scope, id, b),
      );
      return c.json(out, 200);
    },
  );
  return app;
}
