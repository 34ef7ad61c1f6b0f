/** HTTP routes under /api/v1/academy for coordinators and facilitators (service-cohorts, -reports, -grading, enrolment.ts). */
import { createRoute } from '@hono/zod-openapi';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { enrolLearners, resendInvitation } from './enrolment.ts';
import {
  CohortInput,
  EnrolBody,
  Facilitators,
  GradeBody,
  GrantBody,
  IdParam,
  Items,
  Obj,
  RevokeBody,
} from './schema.ts';
import { revokeCertificate } from './service-certificates.ts';
import { createCohort, getCohort, listCohorts, listFacilitators, updateCohort } from './service-cohorts.ts';
import { gradeSubmission, gradingQueue, grantAttempts, readSubmission } from './service-grading.ts';
import { countryReport, progressCsv } from './service-reports.ts';

const tags = ['academy'];
const writeErrors = errors(
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'VALIDATION_FAILED',
  'VERSION_CONFLICT',
  'PRECONDITION_REQUIRED',
);

/** Routes under /api/v1/academy for coordinators and facilitators. */
export function staffRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/cohorts',
      tags,
      summary: 'Cohorts I may see, with enrolment counts, progress and overdue learners',
      responses: { 200: jsonResponse(Items), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await listCohorts(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/cohorts',
      tags,
      summary: 'Create a cohort (member state, intake dates, language, capacity, facilitators)',
      request: { body: jsonBody(CohortInput) },
      responses: { 201: jsonResponse(Obj), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'VALIDATION_FAILED') },
    }),
    async (c) => {
      const out = await createCohort(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('json'));
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/cohorts/{id}',
      tags,
      summary: 'A cohort with its facilitators and every learner’s progress',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Obj), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const out = await getCohort(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id);
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/academy/cohorts/{id}',
      tags,
      summary: 'Change a cohort (If-Match)',
      request: { params: IdParam, body: jsonBody(CohortInput) },
      responses: { 200: jsonResponse(Obj), ...writeErrors },
    }),
    async (c) => {
      const p = requireUser(c);
      const version = ifMatch(c);
      const s = c.get('services');
      const out = await updateCohort(s, p, c.get('requestId'), c.req.valid('param').id, version, c.req.valid('json'));
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/cohorts/{id}/enrolments',
      tags,
      summary:
        'Enrol learners: one by invitation ({email, name}) or a CSV file ({csv, commit}); per-row results; good rows all or nothing',
      request: { params: IdParam, body: jsonBody(EnrolBody) },
      responses: {
        200: jsonResponse(Obj),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      const origin = s.config.publicOrigins[0] ?? '';
      const id = c.req.valid('param').id;
      return c.json(await enrolLearners(s, p, c.get('requestId'), id, c.req.valid('json'), origin), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/invitation',
      tags,
      summary: 'Send a pending invitation again: a new one-time link (earlier links stop working)',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Obj),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_EXISTS'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      const origin = s.config.publicOrigins[0] ?? '';
      return c.json(await resendInvitation(s, p, c.get('requestId'), c.req.valid('param').id, origin), 200);
    },
  );

  app.get('/academy/cohorts/:id/progress.csv', async (c) => {
    const out = await progressCsv(c.get('services'), requireUser(c), c.get('requestId'), c.req.param('id'));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="cohort-${out.cohortId.slice(0, 8)}-progress.csv"`);
    return c.body(out.csv);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/reports/countries',
      tags,
      summary: 'Progress per member state across the cohorts I may see',
      responses: { 200: jsonResponse(Items), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await countryReport(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/facilitators',
      tags,
      summary: 'Active users with the facilitator role (to choose for a cohort)',
      responses: { 200: jsonResponse(Facilitators), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await listFacilitators(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/grading',
      tags,
      summary: 'Assignment answers waiting for grading in cohorts I may see (oldest first)',
      responses: { 200: jsonResponse(Items), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await gradingQueue(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/submissions/{id}',
      tags,
      summary: 'One assignment answer with the scenario and rubric, for grading',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Obj), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const out = await readSubmission(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id);
      etag(c, out.version);
      return c.json(out as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/submissions/{id}/grade',
      tags,
      summary: 'Grade an answer with the rubric and feedback (If-Match); passing counts towards completion',
      request: { params: IdParam, body: jsonBody(GradeBody) },
      responses: { 200: jsonResponse(Obj), ...writeErrors },
    }),
    async (c) => {
      const p = requireUser(c);
      const version = ifMatch(c);
      const s = c.get('services');
      const id = c.req.valid('param').id;
      return c.json(await gradeSubmission(s, p, c.get('requestId'), id, version, c.req.valid('json')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/grants',
      tags,
      summary: 'Give a learner extra quiz attempts for a module',
      request: { params: IdParam, body: jsonBody(GrantBody) },
      responses: {
        200: jsonResponse(Obj),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const id = c.req.valid('param').id;
      const out = await grantAttempts(c.get('services'), p, c.get('requestId'), id, c.req.valid('json'));
      return c.json(out as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/certificates/{id}/revoke',
      tags,
      summary: 'Revoke a certificate (and the certifications it accredited), with a reason',
      request: { params: IdParam, body: jsonBody(RevokeBody) },
      responses: {
        204: { description: 'Revoked' },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const id = c.req.valid('param').id;
      await revokeCertificate(c.get('services'), p, c.get('requestId'), id, c.req.valid('json').reason);
      return c.body(null, 204);
    },
  );

  return app;
}
