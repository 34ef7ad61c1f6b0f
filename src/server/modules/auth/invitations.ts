/**
 * Invitations by one-time link, the one way an account comes into being: an administrator (users),
 * a coordinator enrolling a new learner (academy) and the operator (`sanad user invite`) all call
 * `inviteUser`; the invitee then sets their own name and password (`acceptInvitation`).
 */
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import { AuditLog } from '../../audit/log.ts';
import type { Tx } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import { checkPasswordPolicy, hashPassword } from './passwords.ts';
import { rateLimit } from './throttle.ts';
import { newToken, tokenHash } from './tokens.ts';
import type { RequestInfo } from './service.ts';

/** Invitations stay valid this long. */
export const INVITATION_HOURS = 72;

/** Who is invited, into which tenant, by whom (null: the operator), and through which door. */
export interface InviteInput {
  tenantId: string;
  email: string;
  displayName: string;
  roles: string[];
  invitedBy: string | null;
  /** Recorded in the audit event when the invitation does not come from user administration. */
  via?: 'academy' | 'cli';
}

/** A created invitation; `token` goes into the link `/invite/<token>` and is stored only as a hash. */
export interface Invitation {
  userId: string;
  invitationId: string;
  token: string;
  expiresAt: Date;
}

/**
 * Creates the invited account (status `invited`, no password) and its one-time link in the caller's
 * transaction, audited as `user.invite`. An email that already has an account (in any tenant) is
 * 409 ALREADY_EXISTS. The caller checks who may invite whom (policy, operator-only roles).
 */
export async function inviteUser(tx: Tx, audit: AuditLog, input: InviteInput): Promise<Invitation> {
  const exists = await tx.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (exists)
    throw new AppError('ALREADY_EXISTS', 'an account with this email already exists', {
      details: [{ path: 'email', code: 'taken' }],
    });
  const user = await tx
    .insertInto('users')
    .values({
      tenant_id: input.tenantId,
      email: input.email,
      display_name: input.displayName,
      roles: input.roles,
      status: 'invited',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = newToken();
  const expiresAt = new Date(Date.now() + INVITATION_HOURS * 3600_000);
  const inv = await tx
    .insertInto('invitations')
    .values({
      tenant_id: input.tenantId,
      user_id: user.id,
      token_hash: tokenHash(token),
      expires_at: expiresAt,
      created_by: input.invitedBy,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await audit.append({
    action: 'user.invite',
    entityType: 'user',
    entityId: user.id,
    details: { roles: input.roles.join(','), ...(input.via ? { via: input.via } : {}) },
  });
  return { userId: user.id, invitationId: inv.id, token, expiresAt };
}

async function findInvitation(s: Services, token: string) {
  if (token.length > 100) return undefined;
  return s.db
    .selectFrom('invitations as i')
    .innerJoin('users as u', 'u.id', 'i.user_id')
    .innerJoin('tenants as t', 't.id', 'i.tenant_id')
    .select(['i.id', 'i.user_id', 'i.tenant_id', 'i.expires_at', 'u.email', 'u.status', 't.name as tenant_name'])
    .where('i.token_hash', '=', tokenHash(token))
    .where('i.accepted_at', 'is', null)
    .where('i.expires_at', '>', new Date())
    .where('u.status', '=', 'invited')
    .executeTakeFirst();
}

/** What the invitee sees before choosing a password; unknown, used or expired tokens are 404. */
export async function describeInvitation(
  s: Services,
  token: string,
): Promise<{ email: string; tenantName: string; expiresAt: string }> {
  const inv = await findInvitation(s, token);
  if (!inv) throw new AppError('INVITATION_INVALID', 'this invitation link is not valid any more');
  return { email: inv.email, tenantName: inv.tenant_name, expiresAt: inv.expires_at.toISOString() };
}

/** Accepts an invitation: the invitee sets their own name and password; the link is used up. */
export async function acceptInvitation(
  s: Services,
  token: string,
  displayName: string,
  password: string,
  req: RequestInfo,
): Promise<void> {
  await rateLimit(s.db, `invite:ip:${req.ip}`, 20, 60);
  const inv = await findInvitation(s, token);
  if (!inv) throw new AppError('INVITATION_INVALID', 'this invitation link is not valid any more');
  checkPasswordPolicy(password, inv.email);
  const hashed = await hashPassword(password);
  await s.db.transaction().execute(async (tx) => {
    const used = await tx
      .updateTable('invitations')
      .set({ accepted_at: new Date() })
      .where('id', '=', inv.id)
      .where('accepted_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1)
      throw new AppError('INVITATION_INVALID', 'this invitation link is not valid any more');
    await tx
      .updateTable('users')
      .set({
        password_hash: hashed,
        display_name: displayName,
        status: 'active',
        updated_at: new Date(),
        version: sql`version + 1`,
      } as never)
      .where('id', '=', inv.user_id)
      .execute();
    await new AuditLog(tx, { tenantId: inv.tenant_id, actorId: inv.user_id, requestId: req.requestId }).append({
      action: 'auth.invitation_accept',
      entityType: 'user',
      entityId: inv.user_id,
    });
  });
}
