/** HTTP routes of the assessments feature: parse, run the operation in a Scope, answer (service.ts, team.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { errors, etag, ifMatch, inScope, jsonBody, jsonResponse, router } from '../../http/openapi.ts';
import {
  Assessment,
  AssessmentListItem,
  CompareQuery,
  Comparison,
  CreateRequest,
  IdParam,
  ItemParam,
  RateRequest,
  Reconciliation,
  RecommendationsRequest,
  UpdateRequest,
} from './schema.ts';
import {
  amendAssessment,
  finaliseAssessment,
  listAssessments,
  loadAssessment,
  rateItem,
  startAssessment,
  updateAssessment,
} from './service.ts';
import { compareAssessments, reconciliation, recommendationsToGoals } from './team.ts';

const tags = ['assessments'];
const reads = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');
const writes = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED');

/** Routes for /participants/{id}/assessments and /assessments/{id}. */
export function assessmentRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/assessments',
      tags,
      summary: "A participant's assessments, newest first (no totals)",
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(AssessmentListItem) })), ...reads },
    }),
    async (c) => {
      const items = await inScope(c, (scope) => listAssessments(scope, c.req.valid('param').id));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/assessments',
      tags,
      summary: 'Start an assessment (draft) with an instrument version',
      request: { params: IdParam, body: jsonBody(CreateRequest) },
      responses: { 201: jsonResponse(Assessment, 'Started'), ...reads },
    }),
    async (c) => {
      const r = await inScope(c, (scope) => startAssessment(scope, c.req.valid('param').id, c.req.valid('json')));
      etag(c, r.version);
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assessments/{id}',
      tags,
      summary: 'One assessment with its ratings and evidence (audited)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Assessment), ...reads },
    }),
    async (c) => {
      const r = await inScope(c, (scope) => loadAssessment(scope, c.req.valid('param').id));
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/assessments/{id}/items/{itemCode}',
      tags,
      summary: 'Rate one item with evidence (draft only, If-Match)',
      request: { params: ItemParam, body: jsonBody(RateRequest) },
      responses: { 200: jsonResponse(Assessment), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const { id, itemCode } = c.req.valid('param');
      const r = await inScope(c, (scope) => rateItem(scope, id, itemCode, version, c.req.valid('json')));
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/assessments/{id}',
      tags,
      summary: 'Formulation, scenarios, management plan, judgement (draft only, If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateRequest) },
      responses: { 200: jsonResponse(Assessment), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const r = await inScope(c, (scope) =>
        updateAssessment(scope, c.req.valid('param').id, version, c.req.valid('json')),
      );
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assessments/{id}/finalise',
      tags,
      summary: 'Finalise (locks the assessment; every item and judgement must be set)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Assessment), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const r = await inScope(c, (scope) => finaliseAssessment(scope, c.req.valid('param').id, version));
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assessments/{id}/amend',
      tags,
      summary: 'Start an amended version of a finalised assessment (the original is kept)',
      request: { params: IdParam },
      responses: { 201: jsonResponse(Assessment, 'Amendment started'), ...reads },
    }),
    async (c) => {
      const r = await inScope(c, (scope) => amendAssessment(scope, c.req.valid('param').id));
      etag(c, r.version);
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assessments/{id}/reconciliation',
      tags,
      summary: 'Team assessment: each assessor’s ratings per item, agreement, and the lead’s agreed rating',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Reconciliation), ...reads },
    }),
    async (c) => c.json(await inScope(c, (scope) => reconciliation(scope, c.req.valid('param').id)), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/assessments/compare',
      tags,
      summary: 'How ratings moved between finalised assessments, domain by domain (no totals)',
      request: { params: IdParam, query: CompareQuery },
      responses: { 200: jsonResponse(Comparison), ...reads },
    }),
    async (c) => {
      const out = await inScope(c, (scope) => compareAssessments(scope, c.req.valid('param').id, c.req.valid('query')));
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assessments/{id}/recommendations',
      tags,
      summary: "Turn the management plan's recommendations into plan goals in one step",
      request: { params: IdParam, body: jsonBody(RecommendationsRequest) },
      responses: { 201: jsonResponse(z.object({ goalIds: z.array(z.string()) }), 'Goals added'), ...reads },
    }),
    async (c) => {
      const goalIds = await inScope(c, (scope) =>
        recommendationsToGoals(scope, c.req.valid('param').id, c.req.valid('json')),
      );
      return c.json({ goalIds }, 201);
    },
  );
  return app;
}
