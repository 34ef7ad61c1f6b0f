/** CLI commands for tenants and case teams (until the administration screens for teams exist). */
import { nameProblem } from '../core/text.ts';
import crypto from 'node:crypto';
import { CASE_ROLES } from '../core/roles.ts';
import { AuditLog } from '../server/audit/log.ts';
import type { Services } from '../server/services.ts';

/** Resolves a tenant given by slug or id; throws a readable error when unknown. */
export async function tenantId(s: Services, slugOrId: string): Promise<string> {
  const byId = /^[0-9a-f-]{36}$/i.test(slugOrId);
  const t = await s.db
    .selectFrom('tenants')
    .select('id')
    .where(byId ? 'id' : 'slug', '=', slugOrId)
    .executeTakeFirst();
  if (!t) throw new Error(`no tenant ${slugOrId}; list them with \`sanad tenants\``);
  return t.id;
}

/** Prints every tenant with its id, slug and user count. */
export async function listTenants(s: Services): Promise<number> {
  const rows = await s.db
    .selectFrom('tenants as t')
    .leftJoin('users as u', 'u.tenant_id', 't.id')
    .select(['t.id', 't.slug', 't.name', 't.is_demo', (eb) => eb.fn.count<string>('u.id').as('users')])
    .groupBy(['t.id', 't.slug', 't.name', 't.is_demo'])
    .orderBy('t.slug')
    .execute();
  for (const r of rows)
    process.stdout.write(
      `${r.id}  ${r.slug.padEnd(20)} ${String(r.users).padStart(5)} users  ${r.name}${r.is_demo ? '  [demo]' : ''}\n`,
    );
  return 0;
}

/** Creates a case team in a tenant. */
export async function createTeam(s: Services, o: { tenant: string; name: string }): Promise<number> {
  const tid = await tenantId(s, o.tenant);
  const name = o.name.trim();
  if (!name || name.length > 200) throw new Error('give the team a name of 1–200 characters');
  const problem = nameProblem(name);
  if (problem) throw new Error(`the team name holds characters a name may not hold (${problem})`);
  await s.db.transaction().execute(async (tx) => {
    if (
      await tx.selectFrom('teams').select('id').where('tenant_id', '=', tid).where('name', '=', name).executeTakeFirst()
    )
      throw new Error(`team "${name}" already exists`);
    const t = await tx.insertInto('teams').values({ tenant_id: tid, name }).returning('id').executeTakeFirstOrThrow();
    await new AuditLog(tx, { tenantId: tid, actorId: null, requestId: `cli-${crypto.randomUUID()}` }).append({
      action: 'team.create',
      entityType: 'team',
      entityId: t.id,
      details: { via: 'cli' },
    });
  });
  process.stdout.write(`created team "${name}"\n`);
  return 0;
}

/** Adds a staff member to a team as member or supervisor, with their discipline. */
export async function addTeamMember(
  s: Services,
  o: { tenant: string; team: string; email: string; discipline?: string; supervisor?: boolean },
): Promise<number> {
  const tid = await tenantId(s, o.tenant);
  const team = await s.db
    .selectFrom('teams')
    .select('id')
    .where('tenant_id', '=', tid)
    .where('name', '=', o.team)
    .executeTakeFirst();
  if (!team) throw new Error(`no team "${o.team}" in that tenant`);
  const user = await s.db
    .selectFrom('users')
    .select(['id', 'roles'])
    .where('tenant_id', '=', tid)
    .where('email', '=', o.email.trim().toLowerCase())
    .executeTakeFirst();
  if (!user) throw new Error(`no account ${o.email} in that tenant`);
  if (!user.roles.some((r) => (CASE_ROLES as readonly string[]).includes(r)))
    throw new Error('only case staff can join a case team (give the account a case role first)');
  if (o.discipline && !(CASE_ROLES as readonly string[]).includes(o.discipline))
    throw new Error(`unknown discipline; use one of ${CASE_ROLES.join(', ')}`);
  await s.db.transaction().execute(async (tx) => {
    await tx
      .insertInto('team_members')
      .values({
        team_id: team.id,
        user_id: user.id,
        tenant_id: tid,
        membership: o.supervisor ? 'supervisor' : 'member',
        discipline: o.discipline ?? null,
      })
      .onConflict((oc) =>
        oc
          .columns(['team_id', 'user_id'])
          .doUpdateSet({ membership: o.supervisor ? 'supervisor' : 'member', discipline: o.discipline ?? null }),
      )
      .execute();
    await new AuditLog(tx, { tenantId: tid, actorId: null, requestId: `cli-${crypto.randomUUID()}` }).append({
      action: 'team.add_member',
      entityType: 'team',
      entityId: team.id,
      subjectId: user.id,
      details: { via: 'cli', supervisor: !!o.supervisor },
    });
  });
  process.stdout.write(`${o.email} is now ${o.supervisor ? 'a supervisor' : 'a member'} of "${o.team}"\n`);
  return 0;
}
