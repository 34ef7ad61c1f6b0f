/** HTTP routes under /api/v1/academy for learners (the operations: service-learning, -attempts, -assignments, -certificates). */
import { createRoute } from '@hono/zod-openapi';
import type { Answer } from '../../../core/quiz.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import {
  AnswerBody,
  AnswerParam,
  CredentialResponse,
  IdParam,
  Items,
  LessonParam,
  LocaleQuery,
  ModuleParam,
  Obj,
  Progress,
  SaveAnswerResponse,
  SubmissionBody,
} from './schema.ts';
import { myAssignment, submitAssignment } from './service-assignments.ts';
import { getAttempt, saveAnswer, startAttempt, submitAttempt } from './service-attempts.ts';
import { myCertificates, myCredential } from './service-certificates.ts';
import { courseOutline, markLessonRead, myEnrolments, readLesson } from './service-learning.ts';

const tags = ['academy'];

/** Routes under /api/v1/academy for learners. */
export function learnerRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/me',
      tags,
      summary: 'My enrolments with progress, where to resume, and my certificates',
      responses: { 200: jsonResponse(Items), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await myEnrolments(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}',
      tags,
      summary:
        'The course outline for my enrolment: modules, lessons, quiz and assignment, with progress and lock reasons',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Obj), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) =>
      c.json(await courseOutline(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}/lessons/{lessonId}',
      tags,
      summary:
        'A lesson in the chosen language (French falls back to English with a notice); remembers where I stopped',
      request: { params: LessonParam, query: LocaleQuery },
      responses: {
        200: jsonResponse(Obj),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const { id, lessonId } = c.req.valid('param');
      const out = await readLesson(c.get('services'), p, c.get('requestId'), id, lessonId, c.req.valid('query').locale);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/lessons/{lessonId}/complete',
      tags,
      summary: 'Mark a lesson as read (once; only in an open module)',
      request: { params: LessonParam },
      responses: {
        200: jsonResponse(Progress),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const { id, lessonId } = c.req.valid('param');
      const out = await markLessonRead(c.get('services'), p, c.get('requestId'), id, lessonId);
      return c.json(out.progress as unknown as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/modules/{moduleId}/attempts',
      tags,
      summary:
        'Start a quiz attempt (or resume the open one): items drawn from the bank, options shuffled, timer on the server',
      request: { params: ModuleParam },
      responses: {
        201: jsonResponse(Obj),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const { id, moduleId } = c.req.valid('param');
      const out = await startAttempt(c.get('services'), p, c.get('requestId'), id, moduleId);
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/attempts/{id}',
      tags,
      summary: 'My attempt: items as shown, saved answers, time left; after closing, the review with feedback',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Obj), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const out = await getAttempt(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id);
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/academy/attempts/{id}/answers/{itemId}',
      tags,
      summary: 'Save one answer (open attempt, before the deadline)',
      request: { params: AnswerParam, body: jsonBody(AnswerBody) },
      responses: {
        200: jsonResponse(SaveAnswerResponse),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const { id, itemId } = c.req.valid('param');
      const answer: Answer = c.req.valid('json');
      return c.json(await saveAnswer(c.get('services'), p, c.get('requestId'), id, itemId, answer), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/attempts/{id}/submit',
      tags,
      summary: 'Submit an attempt (once; If-Match); it is graded against the items it showed',
      request: { params: IdParam },
      responses: {
        200: jsonResponse(Obj),
        ...errors(
          'UNAUTHENTICATED',
          'FORBIDDEN',
          'NOT_FOUND',
          'VALIDATION_FAILED',
          'VERSION_CONFLICT',
          'PRECONDITION_REQUIRED',
        ),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const version = ifMatch(c);
      return c.json(
        await submitAttempt(c.get('services'), p, c.get('requestId'), c.req.valid('param').id, version),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/academy/enrolments/{id}/modules/{moduleId}/submissions',
      tags,
      summary: "Submit the module's case assignment for grading",
      request: { params: ModuleParam, body: jsonBody(SubmissionBody) },
      responses: {
        201: jsonResponse(Obj),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const { id, moduleId } = c.req.valid('param');
      const text = c.req.valid('json').body;
      return c.json(await submitAssignment(c.get('services'), p, c.get('requestId'), id, moduleId, text), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}/modules/{moduleId}/assignment',
      tags,
      summary: 'The assignment (scenario, prompt, rubric) and my submissions with grades and feedback',
      request: { params: ModuleParam },
      responses: { 200: jsonResponse(Obj), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const { id, moduleId } = c.req.valid('param');
      return c.json(await myAssignment(c.get('services'), p, c.get('requestId'), id, moduleId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/certificates',
      tags,
      summary: 'My certificates with their status',
      responses: { 200: jsonResponse(Items), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await myCertificates(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/certificates/{id}/credential',
      tags,
      summary: 'My certificate as a signed Open Badges 3.0 credential (compact JWS, EdDSA)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(CredentialResponse), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) =>
      c.json(await myCredential(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id), 200),
  );

  return app;
}
