/** Programs: created from a model-framework template, then phases, domains and gates edited as data. */
import { bindTenant } from '../../access/tenant.ts';
import { neutraliseLabels } from '../../../core/text.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { FRAMEWORKS, ProgramDefinition } from '../../../core/program.ts';
import { authorize } from '../../access/policy.ts';
import { AuditLog } from '../../audit/log.ts';
import { frameworkTemplates } from '../../content.ts';
import { zodDetails } from '../../http/errors.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import type { Services } from '../../services.ts';
import type { DbOrTx } from '../../db/schema.ts';

const Program = z
  .object({
    id: z.string().uuid(),
    framework: z.enum(FRAMEWORKS),
    status: z.enum(['active', 'archived']),
    definition: z.record(z.string(), z.unknown()),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Program');
const ProgramList = z.object({ items: z.array(Program) }).openapi('ProgramList');
const Template = z
  .object({ framework: z.enum(FRAMEWORKS), definition: z.record(z.string(), z.unknown()) })
  .openapi('FrameworkTemplate');
const CreateProgramRequest = z.strictObject({ framework: z.enum(FRAMEWORKS) }).openapi('CreateProgramRequest');
const UpdateProgramRequest = z
  .strictObject({ definition: z.record(z.string(), z.unknown()), status: z.enum(['active', 'archived']).optional() })
  .openapi('UpdateProgramRequest');
const IdParam = z.object({ id: z.string().max(64) });

type ProgramRow = {
  id: string;
  framework: string;
  status: 'active' | 'archived';
  definition: unknown;
  version: number;
  created_at: Date;
  updated_at: Date;
};

function view(r: ProgramRow) {
  return {
    id: r.id,
    framework: r.framework as (typeof FRAMEWORKS)[number],
    status: r.status,
    definition: neutraliseLabels(r.definition) as Record<string, unknown>,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** A program of the tenant by id (404 when absent or malformed). */
export async function loadProgram(
  db: DbOrTx,
  tenantId: string,
  id: string,
): Promise<ProgramRow & { def: ProgramDefinition }> {
  const row = /^[0-9a-f-]{36}$/i.test(id)
    ? await db
        .selectFrom('programs')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'no such program');
  return { ...row, def: ProgramDefinition.parse(neutraliseLabels(row.definition)) };
}

async function phasesInUse(db: DbOrTx, programId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('participants')
    .select('phase_key')
    .distinct()
    .where('program_id', '=', programId)
    .where('phase_key', 'is not', null)
    .execute();
  return rows.map((r) => r.phase_key!);
}

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
      const p = requireUser(c);
      await authorize(c.get('services'), p, c.get('requestId'), 'program.read', 'program');
      return c.json(
        {
          items: [...frameworkTemplates()].map(([framework, definition]) => ({
            framework,
            definition: definition as Record<string, unknown>,
          })),
        },
        200,
      );
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
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'program.read', 'program');
      const rows = await s.db
        .selectFrom('programs')
        .selectAll()
        .where('tenant_id', '=', p.tenantId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return c.json({ items: rows.map(view) }, 200);
    },
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
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'program.read', 'program');
      const row = await loadProgram(s.db, p.tenantId, c.req.valid('param').id);
      etag(c, row.version);
      return c.json(view(row), 200);
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
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'program.manage', 'program');
      const { framework } = c.req.valid('json');
      const def = frameworkTemplates().get(framework)!;
      const row = await s.db.transaction().execute(async (tx) => {
        const r = await tx
          .insertInto('programs')
          .values({ tenant_id: p.tenantId, framework, definition: JSON.stringify(def), created_by: p.userId })
          .returningAll()
          .executeTakeFirstOrThrow();
        await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: c.get('requestId') }).append({
          action: 'program.create',
          entityType: 'program',
          entityId: r.id,
          details: { framework },
        });
        return r;
      });
      etag(c, row.version);
      return c.json(view(row), 201);
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
      await authorize(s, p, c.get('requestId'), 'program.manage', 'program');
      const version = ifMatch(c);
      const body = c.req.valid('json');
      const parsed = ProgramDefinition.safeParse(body.definition);
      if (!parsed.success)
        throw new AppError('VALIDATION_FAILED', 'the program definition is invalid', {
          details: zodDetails(parsed.error, 'definition'),
        });
      const row = await updateProgram(
        s,
        p.tenantId,
        p.userId,
        c.get('requestId'),
        c.req.valid('param').id,
        version,
        parsed.data,
        body.status,
      );
      etag(c, row.version);
      return c.json(view(row), 200);
    },
  );
  return app;
}

async function updateProgram(
  s: Services,
  tenantId: string,
  userId: string,
  requestId: string,
  id: string,
  version: number,
  def: ProgramDefinition,
  status?: 'active' | 'archived',
): Promise<ProgramRow> {
  return s.db.transaction().execute(async (tx) => {
    // Reads which phases the tenant's participants are in: a case table, so the tenant is bound.
    await bindTenant(tx, tenantId);
    if (/^[0-9a-f-]{36}$/i.test(id))
      await sql`select 1 from programs where id = ${id} and tenant_id = ${tenantId} for update`.execute(tx);
    const cur = await loadProgram(tx, tenantId, id);
    if (cur.version !== version)
      throw new AppError('VERSION_CONFLICT', 'this program changed since you opened it', {
        details: [{ path: 'version', code: `current:${cur.version}` }],
      });
    if (def.framework !== cur.framework)
      throw new AppError('VALIDATION_FAILED', 'the framework of a program cannot change', {
        details: [{ path: 'definition.framework', code: 'immutable' }],
      });
    const keys = new Set(def.phases.map((ph) => ph.key));
    const orphaned = (await phasesInUse(tx, id)).filter((k) => !keys.has(k));
    if (orphaned.length > 0)
      throw new AppError('VALIDATION_FAILED', 'participants are in phases this change removes', {
        details: orphaned.map((k) => ({ path: 'definition.phases', code: `in_use:${k}` })),
      });
    const row = await tx
      .updateTable('programs')
      .set({
        definition: JSON.stringify(def),
        status: status ?? cur.status,
        version: version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await new AuditLog(tx, { tenantId, actorId: userId, requestId }).append({
      action: 'program.update',
      entityType: 'program',
      entityId: id,
      details: { phases: def.phases.length },
    });
    return row;
  });
}
