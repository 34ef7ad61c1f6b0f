/**
 * The demo tenant: synthetic, clearly marked accounts for every role, two case teams and a few
 * participants with synthetic notes. No real people, places or events.
 */
import { bindTenant } from '../access/tenant.ts';
import { sql } from 'kysely';
import type { Role } from '../../core/roles.ts';
import { AuditLog, ensureChains } from '../audit/log.ts';
import { hashPassword } from '../modules/auth/passwords.ts';
import { clearCasework, seedCasework } from './casework.ts';
import { seedAcademy } from './academy.ts';
import { clearBoards, seedBoards } from './boards.ts';
import type { Services } from '../services.ts';
import { SYSTEM_TENANT_ID } from '../db/schema.ts';

/** Password of every demo account (they are exempt from TOTP and marked as demo). */
export const DEMO_PASSWORD = 'sanad-demo-2026!';
export const DEMO_SLUG = 'demo';

/** Demo accounts: email local part, display name, roles. */
export const DEMO_USERS: {
  local: string;
  name: string;
  roles: Role[];
  /** The demo team (or both, `ab`) the user belongs to or supervises. */
  team?: 'a' | 'b' | 'ab';
  discipline?: string;
  supervisor?: boolean;
}[] = [
  { local: 'admin', name: 'Demo Administrator', roles: ['tenant_admin'] },
  { local: 'dpo', name: 'Demo Data Protection Officer', roles: ['dpo'] },
  { local: 'case.manager', name: 'Demo Case Manager', roles: ['case_manager'], team: 'a', discipline: 'case_manager' },
  { local: 'psychologist', name: 'Demo Psychologist', roles: ['psychologist'], team: 'a', discipline: 'psychologist' },
  {
    local: 'counsellor',
    name: 'Demo Religious Counsellor',
    roles: ['religious_counsellor'],
    team: 'a',
    discipline: 'religious_counsellor',
  },
  {
    local: 'social.worker',
    name: 'Demo Social Worker',
    roles: ['social_worker'],
    team: 'b',
    discipline: 'social_worker',
  },
  {
    local: 'case.manager.b',
    name: 'Demo Case Manager (Team B)',
    roles: ['case_manager'],
    team: 'b',
    discipline: 'case_manager',
  },
  { local: 'supervisor', name: 'Demo Supervisor', roles: ['supervisor'], team: 'a', supervisor: true },
  // The director oversees both programs: supervisor of both teams, so their home shows the teams' work.
  { local: 'director', name: 'Demo Program Director', roles: ['program_director'], team: 'ab', supervisor: true },
  { local: 'board', name: 'Demo Review Board Member', roles: ['review_board'] },
  {
    local: 'aftercare',
    name: 'Demo Aftercare Officer',
    roles: ['aftercare_officer'],
    team: 'b',
    discipline: 'aftercare_officer',
  },
  { local: 'learner', name: 'Demo Learner', roles: ['learner'] },
  { local: 'facilitator', name: 'Demo Facilitator', roles: ['facilitator', 'coordinator'] },
  { local: 'analyst', name: 'Demo Coalition Analyst', roles: ['coalition_analyst'] },
];

/** Email of a demo account. */
export function demoEmail(local: string): string {
  return `${local}@demo.sanad.example`;
}

/** Creates the demo tenant on first start (no-op when it exists); returns how-to-log-in text or null. */
export async function ensureDemo(
  s: Services,
  opts: { quiet?: boolean; reseed?: boolean; onProgress?: (done: number, total: number) => void } = {},
): Promise<string | null> {
  const existing = await s.db.selectFrom('tenants').select('id').where('slug', '=', DEMO_SLUG).executeTakeFirst();
  if (existing && !opts.reseed) return loginText();
  // Demo accounts have published passwords: never put them next to real tenants.
  const real = await s.db
    .selectFrom('tenants')
    .select('slug')
    .where('is_demo', '=', false)
    .where('id', '!=', SYSTEM_TENANT_ID)
    .limit(1)
    .executeTakeFirst();
  if (real)
    throw new Error(
      `this database holds a real tenant (${real.slug}); demo data is never mixed with real data — use another SANAD_DATA_DIR, or set SANAD_DEMO=false`,
    );
  const hash = await hashPassword(DEMO_PASSWORD);
  const total = DEMO_USERS.length + 60;
  let done = 0;
  await s.db.transaction().execute(async (tx) => {
    const tenantId =
      existing?.id ??
      (
        await tx
          .insertInto('tenants')
          .values({ slug: DEMO_SLUG, name: 'Demo Programme (synthetic data)', is_demo: true })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    // The seed writes the demo tenant's case tables: bound to it like any request (row-level security).
    await bindTenant(tx, tenantId);
    await ensureChains(tx, tenantId);
    await s.fields.ensureTenantKey(tx, tenantId);
    if (existing) {
      // Reseed: case data goes, accounts are reset; the audit log is append-only and stays.
      await clearBoards(tx, tenantId);
      await clearCasework(tx, tenantId);
      await tx.deleteFrom('team_members').where('tenant_id', '=', tenantId).execute();
      await tx.deleteFrom('teams').where('tenant_id', '=', tenantId).execute();
    }
    const teamA = await tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name: 'Team A (demo)' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const teamB = await tx
      .insertInto('teams')
      .values({ tenant_id: tenantId, name: 'Team B (demo)' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const ids: Record<string, string> = {};
    for (const u of DEMO_USERS) {
      const row = await tx
        .insertInto('users')
        .values({
          tenant_id: tenantId,
          email: demoEmail(u.local),
          display_name: u.name,
          password_hash: hash,
          roles: u.roles,
          status: 'active',
          is_demo: true,
        })
        .onConflict((oc) =>
          oc.column('email').doUpdateSet({
            password_hash: hash,
            roles: u.roles,
            status: 'active',
            display_name: u.name,
            totp_enabled: false,
            totp_secret: null,
            totp_pending: null,
            version: sql`users.version + 1`,
          }),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      ids[u.local] = row.id;
      const teams = u.team ? [...u.team].map((k) => (k === 'a' ? teamA.id : teamB.id)) : [];
      for (const teamId of teams)
        await tx
          .insertInto('team_members')
          .values({
            team_id: teamId,
            user_id: row.id,
            tenant_id: tenantId,
            membership: u.supervisor ? 'supervisor' : 'member',
            discipline: u.discipline ?? null,
          })
          .execute();
      opts.onProgress?.(++done, total);
    }
    const audit = new AuditLog(tx, { tenantId, actorId: null, requestId: 'demo-seed' });
    await seedCasework(s, tx, tenantId, { a: teamA.id, b: teamB.id }, ids, () => opts.onProgress?.(++done, total));
    await seedBoards(s, tx, tenantId, ids);
    await seedAcademy(tx, tenantId, ids);
    // The demo psychologist holds the (illustrative) SPJ template's certification, granted by the administrator for a year.
    if (
      ids.psychologist &&
      !(await tx
        .selectFrom('certifications')
        .select('id')
        .where('user_id', '=', ids.psychologist)
        .where('certification', '=', 'sanad-spj-template')
        .where('revoked_at', 'is', null)
        .executeTakeFirst())
    ) {
      await tx
        .insertInto('certifications')
        .values({
          tenant_id: tenantId,
          user_id: ids.psychologist,
          certification: 'sanad-spj-template',
          granted_by: ids.admin ?? null,
          expires_at: new Date(Date.now() + 365 * 86_400_000),
        })
        .execute();
    }
    await audit.append({ action: opts.reseed ? 'demo.reseed' : 'demo.seed', entityType: 'tenant', entityId: tenantId });
  });
  return loginText();
}

function loginText(): string {
  const lines = DEMO_USERS.map((u) => `    ${demoEmail(u.local).padEnd(40)} ${u.roles.join(', ')}`);
  return (
    [
      '',
      '  DEMO DATA — synthetic accounts and records, not real people.',
      `  Sign in with any of these emails and the password  ${DEMO_PASSWORD}`,
      ...lines,
      '',
    ].join('\n') + '\n'
  );
}
