/** CLI account commands: invite by one-time link, disable, roles, unlock. */
import { nameProblem } from '../core/text.ts';
import crypto from 'node:crypto';
import { ROLES } from '../core/roles.ts';
import { AuditLog, ensureChains } from '../server/audit/log.ts';
import { INVITATION_HOURS, inviteUser } from '../server/modules/auth/invitations.ts';
import { revokeAllLoginSessions } from '../server/modules/auth/login-sessions.ts';
import { unlockEmail } from '../server/modules/auth/throttle.ts';
import type { Services } from '../server/services.ts';

/** Invites a user into a tenant (creating the tenant on first use) and prints the link. */
export async function inviteFromCli(
  s: Services,
  o: { email: string; name: string; roles: string; tenant: string; createTenant?: boolean },
): Promise<number> {
  const email = o.email.trim().toLowerCase();
  const roles = [
    ...new Set(
      o.roles
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new Error(`not an email address: ${o.email}`);
  if (roles.length === 0 || bad.length)
    throw new Error(`unknown roles: ${bad.join(', ') || '(none given)'}; known: ${ROLES.join(', ')}`);
  const problem = nameProblem(o.name.trim());
  if (!o.name.trim() || o.name.trim().length > 200 || problem)
    throw new Error(
      `give a name of 1–200 characters without control or invisible characters${problem ? ` (${problem})` : ''}`,
    );
  if (!/^[a-z0-9_-]{1,64}$/.test(o.tenant)) throw new Error('tenant slug must be lowercase letters, digits, - or _');
  const { token } = await s.db.transaction().execute(async (tx) => {
    let tenant = await tx.selectFrom('tenants').select('id').where('slug', '=', o.tenant).executeTakeFirst();
    if (!tenant) {
      if (!o.createTenant)
        throw new Error(`no tenant ${o.tenant}; add --create-tenant to create it (list them with \`sanad tenants\`)`);
      if (await tx.selectFrom('tenants').select('id').where('is_demo', '=', true).executeTakeFirst()) {
        throw new Error(
          'this database holds demo data with published passwords; create real tenants in a separate SANAD_DATA_DIR or database',
        );
      }
      tenant = await tx
        .insertInto('tenants')
        .values({ slug: o.tenant, name: o.tenant })
        .returning('id')
        .executeTakeFirstOrThrow();
      await ensureChains(tx, tenant.id);
      await s.fields.ensureTenantKey(tx, tenant.id);
    }
    const audit = new AuditLog(tx, { tenantId: tenant.id, actorId: null, requestId: `cli-${crypto.randomUUID()}` });
    return inviteUser(tx, audit, {
      tenantId: tenant.id,
      email,
      displayName: o.name.trim(),
      roles,
      invitedBy: null,
      via: 'cli',
    });
  });
  const origin = s.config.publicOrigins[0];
  process.stdout.write(
    `invited ${email} (${roles.join(', ')}). One-time link, valid ${INVITATION_HOURS} h — send it privately:\n${origin}/invite/${token}\n`,
  );
  return 0;
}

/** Disables an account and ends its sessions at once. */
export async function disableFromCli(s: Services, emailIn: string): Promise<number> {
  const email = emailIn.trim().toLowerCase();
  const u = await s.db
    .selectFrom('users')
    .select(['id', 'tenant_id', 'status'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (!u) throw new Error(`no account with email ${email}`);
  await s.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set((eb) => ({ status: 'disabled', version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', u.id)
      .execute();
    await revokeAllLoginSessions(tx, u.id);
    await new AuditLog(tx, { tenantId: u.tenant_id, actorId: null, requestId: `cli-${crypto.randomUUID()}` }).append({
      action: 'user.disable',
      entityType: 'user',
      entityId: u.id,
      details: { via: 'cli' },
    });
  });
  process.stdout.write(`disabled ${email}; all its sessions are ended\n`);
  return 0;
}

/** Replaces an account's roles; the operator's way to grant or remove dpo and tenant_admin. */
export async function setRolesFromCli(s: Services, emailIn: string, rolesCsv: string): Promise<number> {
  const email = emailIn.trim().toLowerCase();
  const roles = [
    ...new Set(
      rolesCsv
        .split(',')
        .map((r) => r.trim())
        .filter(Boolean),
    ),
  ];
  const bad = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (roles.length === 0 || bad.length)
    throw new Error(`unknown roles: ${bad.join(', ') || '(none given)'}; known: ${ROLES.join(', ')}`);
  const u = await s.db
    .selectFrom('users')
    .select(['id', 'tenant_id', 'roles'])
    .where('email', '=', email)
    .executeTakeFirst();
  if (!u) throw new Error(`no account with email ${email}`);
  await s.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set((eb) => ({ roles, version: eb('version', '+', 1), updated_at: new Date() }))
      .where('id', '=', u.id)
      .execute();
    await new AuditLog(tx, { tenantId: u.tenant_id, actorId: null, requestId: `cli-${crypto.randomUUID()}` }).append({
      action: 'user.update',
      entityType: 'user',
      entityId: u.id,
      details: { via: 'cli', from: u.roles.join(','), to: roles.join(',') },
    });
  });
  process.stdout.write(`${email} now has roles: ${roles.join(', ')}\n`);
  return 0;
}

/**
 * Ends an account's sign-in lockout: clears its password and second-factor counters, audited as
 * `user.unlock` in the account's tenant. An attacker can lock it again with FREE_FAILURES guesses.
 */
export async function unlockFromCli(s: Services, emailIn: string): Promise<number> {
  const email = emailIn.trim().toLowerCase();
  const u = await s.db.selectFrom('users').select(['id', 'tenant_id']).where('email', '=', email).executeTakeFirst();
  if (!u) throw new Error(`no account with email ${email}`);
  const r = await s.db.transaction().execute(async (tx) => {
    const cleared = await unlockEmail(tx, email);
    await new AuditLog(tx, { tenantId: u.tenant_id, actorId: null, requestId: `cli-${crypto.randomUUID()}` }).append({
      action: 'user.unlock',
      entityType: 'user',
      entityId: u.id,
      details: { via: 'cli', wasLocked: cleared.wasLocked, failures: cleared.failures },
    });
    return cleared;
  });
  process.stdout.write(
    r.wasLocked
      ? `unlocked ${email} (${r.failures} failed attempts cleared)\n`
      : r.failures > 0
        ? `${email} was not locked; ${r.failures} failed attempts cleared\n`
        : `${email} was not locked\n`,
  );
  return 0;
}
