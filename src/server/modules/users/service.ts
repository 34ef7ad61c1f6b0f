/**
 * User administration within a tenant (invite, list, change roles, disable, enable, unlock) and the
 * signed-in user's own preferences and login sessions.
 */
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { auditApart, auditedTx, type AuditLog } from '../../audit/log.ts';
import type { Services } from '../../services.ts';
import type { Principal } from '../../access/principal.ts';
import type { Tx } from '../../db/schema.ts';
import { decodeCursor, encodeCursor } from '../../http/openapi.ts';
import { inviteUser } from '../auth/invitations.ts';
import { revokeAllLoginSessions } from '../auth/login-sessions.ts';
import { unlockEmail } from '../auth/throttle.ts';
import { isUuid } from '../../access/scope.ts';
import { allows, type Action } from '../../../core/roles.ts';
import { authorize } from '../../access/policy.ts';

/** A user as administrators see it. */
export interface UserView {
  id: string;
  email: string;
  displayName: string;
  roles: string[];
  status: 'active' | 'disabled' | 'invited';
  mfaEnabled: boolean;
  version: number;
  createdAt: string;
  lastLoginAt: string | null;
}

const COLUMNS = [
  'id',
  'email',
  'display_name',
  'roles',
  'status',
  'totp_enabled',
  'version',
  'created_at',
  'last_login_at',
] as const;

function view(r: {
  id: string;
  email: string;
  display_name: string;
  roles: string[];
  status: UserView['status'];
  totp_enabled: boolean;
  version: number;
  created_at: Date;
  last_login_at: Date | null;
}): UserView {
  return {
    id: r.id,
    email: r.email,
    displayName: r.display_name,
    roles: r.roles,
    status: r.status,
    mfaEnabled: r.totp_enabled,
    version: r.version,
    createdAt: r.created_at.toISOString(),
    lastLoginAt: r.last_login_at?.toISOString() ?? null,
  };
}

async function adminTx<R>(
  s: Services,
  p: Principal,
  requestId: string,
  action: Action,
  fn: (tx: Tx, audit: AuditLog) => Promise<R>,
): Promise<R> {
  await authorize(s, p, requestId, action, 'user');
  return auditedTx(s.db, { tenantId: p.tenantId, userId: p.userId, requestId }, fn);
}

/** Lists the tenant's users, newest first, with keyset pagination and an optional text filter. */
export async function listUsers(
  s: Services,
  p: Principal,
  requestId: string,
  q: { limit: number; cursor?: string; q?: string; status?: string },
): Promise<{ items: UserView[]; nextCursor: string | null }> {
  return adminTx(s, p, requestId, 'user.list', async (tx) => {
    const cur = decodeCursor(q.cursor, 2);
    let query = tx.selectFrom('users').select(COLUMNS).where('tenant_id', '=', p.tenantId);
    if (q.status) query = query.where('status', '=', q.status as UserView['status']);
    if (q.q) {
      const like = `%${q.q.replace(/[\\%_]/g, (m) => '\\' + m)}%`;
      query = query.where((eb) => eb.or([eb('email', 'ilike', like), eb('display_name', 'ilike', like)]));
    }
    if (cur) query = query.where(sql<boolean>`(created_at, id) < (${cur[0]}::timestamptz, ${cur[1]}::uuid)`);
    const rows = await query
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(q.limit + 1)
      .execute();
    const items = rows.slice(0, q.limit).map(view);
    const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
    return { items, nextCursor: last ? encodeCursor([last.created_at.toISOString(), last.id]) : null };
  });
}

/**
 * Separation of duties: the roles that oversee administrators (data-protection officer, tenant
 * administrator) are granted or removed only by the operator with the CLI, never through the API.
 */
export const OPERATOR_ONLY_ROLES = ['dpo', 'tenant_admin'];

function assertGrantable(next: string[], before: string[] = []): void {
  const changed = OPERATOR_ONLY_ROLES.filter((r) => next.includes(r) !== before.includes(r));
  if (changed.length > 0) {
    throw new AppError('FORBIDDEN', 'only the operator can grant or remove these roles (sanad user invite/roles)', {
      details: changed.map((r) => ({ path: 'roles', code: `operator_only:${r}` })),
    });
  }
}

/**
 * An administrator invites a person by a one-time link (`inviteUser`); the administrator never sets
 * their password, and never grants the operator-only roles.
 */
export async function adminInvite(
  s: Services,
  p: Principal,
  requestId: string,
  input: { email: string; displayName: string; roles: string[] },
): Promise<{ invitation: { id: string; email: string; roles: string[]; expiresAt: string }; token: string }> {
  return adminTx(s, p, requestId, 'user.invite', async (tx, audit) => {
    assertGrantable(input.roles);
    const inv = await inviteUser(tx, audit, { ...input, tenantId: p.tenantId, invitedBy: p.userId });
    return {
      invitation: {
        id: inv.invitationId,
        email: input.email,
        roles: input.roles,
        expiresAt: inv.expiresAt.toISOString(),
      },
      token: inv.token,
    };
  });
}

async function lockUser(tx: Tx, p: Principal, id: string, version: number) {
  const row = isUuid(id)
    ? await tx
        .selectFrom('users')
        .select(COLUMNS)
        .where('id', '=', id)
        .where('tenant_id', '=', p.tenantId)
        .forUpdate()
        .executeTakeFirst()
    : undefined;
  if (!row) throw new AppError('NOT_FOUND', 'not found');
  if (row.version !== version)
    throw new AppError('VERSION_CONFLICT', 'this record changed since you opened it', {
      details: [{ path: 'version', code: `current:${row.version}` }],
    });
  return row;
}

/** Replaces a user's roles (optimistic concurrency on version). */
export async function setRoles(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  version: number,
  roles: string[],
): Promise<UserView> {
  return adminTx(s, p, requestId, 'user.update', async (tx, audit) => {
    const before = await lockUser(tx, p, id, version);
    if (id === p.userId)
      throw new AppError('FORBIDDEN', 'you cannot change your own roles', {
        details: [{ path: 'roles', code: 'self_change' }],
      });
    assertGrantable(roles, before.roles);
    const row = await tx
      .updateTable('users')
      .set({ roles, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    await audit.append({
      action: 'user.update',
      entityType: 'user',
      entityId: id,
      details: { from: before.roles.join(','), to: roles.join(',') },
    });
    return view(row);
  });
}

/** Disables or re-enables an account; disabling ends all its sessions at once. */
export async function setStatus(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  version: number,
  disable: boolean,
): Promise<UserView> {
  return adminTx(s, p, requestId, 'user.disable', async (tx, audit) => {
    const before = await lockUser(tx, p, id, version);
    if (disable && id === p.userId)
      throw new AppError('VALIDATION_FAILED', 'you cannot disable your own account', {
        details: [{ path: 'id', code: 'self' }],
      });
    const hasPassword = !!(
      await tx.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()
    ).password_hash;
    const status = disable
      ? 'disabled'
      : before.status === 'disabled'
        ? hasPassword
          ? 'active'
          : 'invited'
        : before.status;
    const row = await tx
      .updateTable('users')
      .set({ status, version: version + 1, updated_at: new Date() })
      .where('id', '=', id)
      .returning(COLUMNS)
      .executeTakeFirstOrThrow();
    if (disable) await revokeAllLoginSessions(tx, id);
    await audit.append({ action: disable ? 'user.disable' : 'user.enable', entityType: 'user', entityId: id });
    return view(row);
  });
}

/**
 * Ends the sign-in lockout of an account of the tenant: clears its password and second-factor
 * counters (`auth/throttle.ts`). Allowed to whoever may disable and re-enable accounts (the same
 * `user.disable` policy entry); audited as `user.unlock`, refusals too. Another tenant's account is
 * a 404. No If-Match: the account record itself does not change.
 */
export async function unlockUser(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
): Promise<{ wasLocked: boolean; failures: number }> {
  if (!allows(p.roles, 'user.disable')) {
    await auditApart(
      s.db,
      { tenantId: p.tenantId, actorId: p.userId, requestId },
      { action: 'user.unlock', entityType: 'user', outcome: 'denied', details: { reason: 'policy' } },
    );
    throw new AppError('FORBIDDEN', 'your role does not allow this');
  }
  return auditedTx(s.db, { tenantId: p.tenantId, userId: p.userId, requestId }, async (tx, audit) => {
    const row = isUuid(id)
      ? await tx
          .selectFrom('users')
          .select(['id', 'email'])
          .where('id', '=', id)
          .where('tenant_id', '=', p.tenantId)
          .executeTakeFirst()
      : undefined;
    if (!row) throw new AppError('NOT_FOUND', 'not found');
    const cleared = await unlockEmail(tx, row.email);
    await audit.append({
      action: 'user.unlock',
      entityType: 'user',
      entityId: row.id,
      details: { wasLocked: cleared.wasLocked, failures: cleared.failures },
    });
    return cleared;
  });
}

/** Sets the signed-in user's language and calendar; returns both as stored. */
export async function setPreferences(
  s: Services,
  p: Principal,
  prefs: { locale?: Principal['locale']; calendar?: Principal['calendar'] },
): Promise<Pick<Principal, 'locale' | 'calendar'>> {
  return s.db
    .updateTable('users')
    .set({
      ...(prefs.locale ? { locale: prefs.locale } : {}),
      ...(prefs.calendar ? { calendar: prefs.calendar } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', p.userId)
    .returning(['locale', 'calendar'])
    .executeTakeFirstOrThrow();
}

/** The signed-in user's live login sessions, most recently used first (at most 50). */
export async function listLoginSessions(
  s: Services,
  p: Principal,
): Promise<{ id: string; createdAt: string; lastSeenAt: string; userAgent: string | null; current: boolean }[]> {
  const rows = await s.db
    .selectFrom('user_sessions')
    .select(['id', 'created_at', 'last_seen_at', 'user_agent'])
    .where('user_id', '=', p.userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', new Date())
    .orderBy('last_seen_at', 'desc')
    .limit(50)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.created_at.toISOString(),
    lastSeenAt: r.last_seen_at.toISOString(),
    userAgent: r.user_agent,
    current: r.id === p.sessionId,
  }));
}
