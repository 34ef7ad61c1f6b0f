/** Routes for plans, goals, notes and plan versions. Thin: parse, scope, service, answer. */
import { createRoute } from '@hono/zod-openapi';
import { Scope } from '../../../access/scope.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../../http/openapi.ts';
import { IdParam } from '../../participants/schema.ts';
import { addGoal, addGoalNote, changeGoal } from './goals-service.ts';
import { decidePlan, readPlan, submitPlan } from './plan-service.ts';
import {
  CreateGoalRequest,
  Goal,
  GoalNoteCreated,
  GoalNoteRequest,
  Plan,
  PlanDecisionRequest,
  PlanVersion,
  UpdateGoalRequest,
} from './schema.ts';

export function planRoutes() {
  const app = router();
  const tags = ['plan'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');
  const writes = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/plan',
      tags,
      summary: 'The plan: goals by domain, notes, versions',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Plan), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        readPlan(scope, id),
      );
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/goals',
      tags,
      summary: 'Add a goal',
      request: { params: IdParam, body: jsonBody(CreateGoalRequest) },
      responses: { 201: jsonResponse(Goal, 'Added'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        addGoal(scope, id, b),
      );
      etag(c, out.version);
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/goals/{id}',
      tags,
      summary: 'Change a goal (If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateGoalRequest) },
      responses: { 200: jsonResponse(Goal), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        changeGoal(scope, id, version, b),
      );
      etag(c, out.version);
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/goals/{id}/notes',
      tags,
      summary: 'Add a progress note (encrypted)',
      request: { params: IdParam, body: jsonBody(GoalNoteRequest) },
      responses: { 201: jsonResponse(GoalNoteCreated, 'Added'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        addGoalNote(scope, id, b),
      );
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/plan/submit',
      tags,
      summary: 'Submit the current goals as a new plan version for approval',
      request: { params: IdParam },
      responses: { 201: jsonResponse(PlanVersion, 'Submitted'), ...common },
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        submitPlan(scope, id),
      );
      return c.json(out, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/plan-versions/{id}/decision',
      tags,
      summary: 'Approve or return a submitted plan (supervisor, If-Match)',
      request: { params: IdParam, body: jsonBody(PlanDecisionRequest) },
      responses: { 200: jsonResponse(PlanVersion), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const { id } = c.req.valid('param');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        decidePlan(scope, id, version, b),
      );
      etag(c, out.version);
      return c.json(out, 200);
    },
  );
  return app;
}
