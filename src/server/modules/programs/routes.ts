/** HTTP routes for programs and the model-framework templates (the operations: service.ts). */
import { createRoute, z } from '@hono/zod-openapi';
import { authorize } from '../../access/policy.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { CreateProgramRequest, IdParam, Program, ProgramList, Template, UpdateProgramRequest } from './schema.ts';
import { createProgram, getProgram, listPrograms, listTemplates, updateProgram } from './service.ts';

/** Re-exported for the case-work modules that read a participant's program. */
export { loadProgram } from './service.ts';

/** Routes under /api/v1/programs and /api/v1/framework-templates. */
export function programRoutes() {
  const app = router();
  const tags = ['programs'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/framework-templates',
      tags,
      summary: 'The shipped model-framework templates',
      responses: {
        200: jsonResponse(z.object({ items: z.array(Template) })),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN'),
      },
    }),
    async (c) => {
      const items = await listTemplates(c.get('services'), requireUser(c), c.get('requestId'));
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/programs',
      tags,
      summary: "The tenant's programs",
      responses: { 200: jsonResponse(ProgramList), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => c.json({ items: await listPrograms(c.get('services'), requireUser(c), c.get('requestId')) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/programs/{id}',
      tags,
      summary: 'One program',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Program), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const program = await getProgram(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id);
      etag(c, program.version);
      return c.json(program, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/programs',
      tags,
      summary: 'Create a program from a framework template',
      request: { body: jsonBody(CreateProgramRequest) },
      responses: { 201: jsonResponse(Program, 'Created'), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      const s = c.get('services');
      const program = await createProgram(s, requireUser(c), c.get('requestId'), c.req.valid('json').framework);
      etag(c, program.version);
      return c.json(program, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/programs/{id}',
      tags,
      summary: 'Replace phases, domains and gates (If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateProgramRequest) },
      responses: {
        200: jsonResponse(Program),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      // The policy answers before a missing If-Match does (updateProgram checks it again).
      await authorize(s, p, c.get('requestId'), 'program.manage', 'program');
      const version = ifMatch(c);
      const id = c.req.valid('param').id;
      const program = await updateProgram(s, p, c.get('requestId'), id, version, c.req.valid('json'));
      etag(c, program.version);
      return c.json(program, 200);
    },
  );
  return app;
}
