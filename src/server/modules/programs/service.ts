/**
 * Programs: created from a model-framework template, then phases, domains and gates edited as data.
 * Every operation checks the policy itself (`program.read`, `program.manage`).
 */
import { unscoped } from '../../access/unscoped.ts';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { FRAMEWORKS, ProgramDefinition } from '../../../core/program.ts';
import { neutraliseLabels } from '../../../core/text.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import { bindTenant } from '../../access/tenant.ts';
import { AuditLog } from '../../audit/log.ts';
import { frameworkTemplates } from '../../content.ts';
import type { DbOrTx } from '../../db/schema.ts';
import { zodDetails } from '../../http/errors.ts';
import type { Services } from '../../services.ts';

export type ProgramRow = {
  id: string;
  framework: string;
  status: 'active' | 'archived';
  definition: unknown;
  version: number;
  created_at: Date;
  updated_at: Date;
};

/** A program as the API shows it. */
export function programView(r: ProgramRow) {
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

/** The phase keys participants of the program are in (a case table: the caller binds the tenant). */
async function phasesInUse(db: DbOrTx, programId: string): Promise<string[]> {
  const rows = await unscoped('which phases of a program hold participants (keys only, no case data leaves)', () =>
    db
      .selectFrom('participants')
      .select('phase_key')
      .distinct()
      .where('program_id', '=', programId)
      .where('phase_key', 'is not', null)
      .execute(),
  );
  return rows.map((r) => r.phase_key!);
}

/** The shipped model-framework templates. */
export async function listTemplates(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'program.read', 'program');
  return [...frameworkTemplates()].map(([framework, definition]) => ({
    framework,
    definition: definition,
  }));
}

/** The tenant's programs, oldest first. */
export async function listPrograms(s: Services, p: Principal, requestId: string) {
  await authorize(s, p, requestId, 'program.read', 'program');
  const rows = await s.db
    .selectFrom('programs')
    .selectAll()
    .where('tenant_id', '=', p.tenantId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(programView);
}

/** One program of the tenant. */
export async function getProgram(s: Services, p: Principal, requestId: string, id: string) {
  await authorize(s, p, requestId, 'program.read', 'program');
  return programView(await loadProgram(s.db, p.tenantId, id));
}

/** Creates a program from a framework template. */
export async function createProgram(
  s: Services,
  p: Principal,
  requestId: string,
  framework: (typeof FRAMEWORKS)[number],
) {
  await authorize(s, p, requestId, 'program.manage', 'program');
  const def = frameworkTemplates().get(framework)!;
  const row = await s.db.transaction().execute(async (tx) => {
    const r = await tx
      .insertInto('programs')
      .values({ tenant_id: p.tenantId, framework, definition: JSON.stringify(def), created_by: p.userId })
      .returningAll()
      .executeTakeFirstOrThrow();
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'program.create',
      entityType: 'program',
      entityId: r.id,
      details: { framework },
    });
    return r;
  });
  return programView(row);
}

/**
 * Replaces a program's definition (optimistic concurrency on `version`): the framework cannot
 * change, and no phase that participants are in may disappear.
 */
export async function updateProgram(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  version: number,
  body: { definition: Record<string, unknown>; status?: 'active' | 'archived' },
) {
  await authorize(s, p, requestId, 'program.manage', 'program');
  const parsed = ProgramDefinition.safeParse(body.definition);
  if (!parsed.success)
    throw new AppError('VALIDATION_FAILED', 'the program definition is invalid', {
      details: zodDetails(parsed.error, 'definition'),
    });
  const def = parsed.data;
  const tenantId = p.tenantId;
  const row = await s.db.transaction().execute(async (tx) => {
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
    const updated = await tx
      .updateTable('programs')
      .set({
        definition: JSON.stringify(def),
        status: body.status ?? cur.status,
        version: version + 1,
        updated_at: new Date(),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await new AuditLog(tx, { tenantId, actorId: p.userId, requestId }).append({
      action: 'program.update',
      entityType: 'program',
      entityId: id,
      details: { phases: def.phases.length },
    });
    return updated;
  });
  return programView(row);
}
