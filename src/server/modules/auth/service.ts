/** Sign-in, second factor, password change and signing out (invitations: invitations.ts). */
import QRCode from 'qrcode';
import { sql } from 'kysely';
import { generateSecret, generateURI, verify as verifyTotp } from 'otplib';
import { AppError } from '../../../core/errors.ts';
import { AuditLog, auditApart } from '../../audit/log.ts';
import { SYSTEM_TENANT_ID } from '../../db/schema.ts';
import type { Services } from '../../services.ts';
import type { Principal } from '../../access/principal.ts';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './passwords.ts';
import { claimAttempt, clearFailures, rateLimit } from './throttle.ts';
import { createLoginSession, mfaRequired, revokeAllLoginSessions, revokeLoginSession } from './login-sessions.ts';

/** What a sign-in step tells the client to do next. */
export type LoginStatus = 'ok' | 'mfa_required' | 'mfa_enrol_required';

/** Who asks, from where: for audit events, rate limits and the session's user agent. */
export interface RequestInfo {
  requestId: string;
  ip: string;
  userAgent?: string;
}

/**
 * Checks email and password. Unknown email, wrong password and disabled account give the same
 * error after the same argon2 work. Each guess is claimed against the per-email password counter
 * before the hash is checked, so a parallel burst gets at most FREE_FAILURES checks.
 */
export async function login(
  s: Services,
  email: string,
  password: string,
  req: RequestInfo,
): Promise<{ token: string; status: LoginStatus }> {
  const normal = email.trim().toLowerCase();
  await rateLimit(s.db, `login:ip:${req.ip}`, 30, 60);
  // Claimed (and counted as a failure) before the hash is checked; refused without a check once locked.
  await claimAttempt(s.db, normal);
  const user = await s.db.selectFrom('users').selectAll().where('email', '=', normal).executeTakeFirst();
  const ok = await verifyPassword(user?.password_hash ?? null, password);
  if (!user || !ok || user.status !== 'active') {
    await auditApart(
      s.db,
      { tenantId: user?.tenant_id ?? SYSTEM_TENANT_ID, actorId: null, requestId: req.requestId },
      {
        action: 'auth.login',
        entityType: user ? 'user' : undefined,
        entityId: user?.id ?? null,
        outcome: 'denied',
        details: { reason: !user ? 'unknown_email' : !ok ? 'wrong_password' : `status_${user.status}` },
      },
    );
    throw new AppError('INVALID_CREDENTIALS', 'email or password is wrong');
  }
  // The password was right, so this claim was no failure. The second-factor counter stays as it is:
  // only a full sign-in (verifyMfa) clears it.
  await clearFailures(s.db, normal);
  const needsEnrol = !user.totp_enabled && mfaRequired(user);
  const status: LoginStatus = user.totp_enabled ? 'mfa_required' : needsEnrol ? 'mfa_enrol_required' : 'ok';
  const token = await s.db.transaction().execute(async (tx) => {
    const t = await createLoginSession(tx, s.config, user, { mfaPassed: status === 'ok', userAgent: req.userAgent });
    if (status === 'ok')
      await tx.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute();
    await new AuditLog(tx, { tenantId: user.tenant_id, actorId: user.id, requestId: req.requestId }).append({
      action: 'auth.login',
      entityType: 'user',
      entityId: user.id,
      details: { next: status },
    });
    return t;
  });
  return { token, status };
}

async function checkCode(
  s: Services,
  p: Principal,
  secretBlob: Buffer,
  field: 'totp_secret' | 'totp_pending',
  code: string,
  lastStep: number | null,
): Promise<number | null> {
  const secret = await s.fields.decrypt(
    { tenantId: p.tenantId, table: 'users', field, rowId: p.userId },
    secretBlob,
    s.db,
  );
  const r = await verifyTotp({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  }).catch(() => ({ valid: false as const }));
  return r.valid && 'timeStep' in r ? r.timeStep : null;
}

/** Completes sign-in with a TOTP code; issues a fresh session token (no fixation). */
export async function verifyMfa(
  s: Services,
  p: Principal,
  oldHash: Buffer,
  code: string,
  req: RequestInfo,
): Promise<string> {
  const user = await s.db
    .selectFrom('users')
    .select(['totp_secret', 'totp_enabled', 'totp_last_step', 'tenant_id', 'id'])
    .where('id', '=', p.userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_enabled || !user.totp_secret) throw new AppError('MFA_INVALID', 'no authenticator is enrolled');
  // The second-factor counter, claimed before the code is checked (no parallel guessing). A right
  // password does not clear it, only a full sign-in below, so TOTP guessing escalates across rounds.
  await claimAttempt(s.db, p.email, 'mfa');
  const step = await checkCode(
    s,
    p,
    user.totp_secret,
    'totp_secret',
    code,
    user.totp_last_step === null ? null : Number(user.totp_last_step),
  );
  if (step === null) {
    await auditApart(
      s.db,
      { tenantId: p.tenantId, actorId: p.userId, requestId: req.requestId },
      { action: 'auth.mfa', entityType: 'user', entityId: p.userId, outcome: 'denied' },
    );
    throw new AppError('MFA_INVALID', 'the code is wrong or was already used', {
      details: [{ path: 'code', code: 'invalid' }],
    });
  }
  const fresh = await s.db.transaction().execute(async (tx) => {
    // Consume the time step atomically: of two concurrent requests with the same code, one wins.
    const used =
      await sql`update users set totp_last_step = ${step}, last_login_at = now() where id = ${p.userId} and (totp_last_step is null or totp_last_step < ${step})`.execute(
        tx,
      );
    if (Number(used.numAffectedRows ?? 0) !== 1)
      throw new AppError('MFA_INVALID', 'the code is wrong or was already used', {
        details: [{ path: 'code', code: 'invalid' }],
      });
    await revokeLoginSession(tx, oldHash);
    const token = await createLoginSession(tx, s.config, user, { mfaPassed: true, userAgent: req.userAgent });
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: req.requestId }).append({
      action: 'auth.mfa',
      entityType: 'user',
      entityId: p.userId,
    });
    return token;
  });
  // Only a code that was also unused (a full sign-in) clears the counter; a replayed one stays counted.
  await clearFailures(s.db, p.email, 'mfa');
  return fresh;
}

/** Starts (re-)enrolment: a new secret kept pending until a code from it is confirmed. */
export async function setupMfa(
  s: Services,
  p: Principal,
): Promise<{ secret: string; otpauthUrl: string; qrSvg: string }> {
  if (p.mfaEnabled && !p.mfaPassed) throw new AppError('MFA_REQUIRED', 'pass your current second factor first');
  const secret = generateSecret();
  const otpauthUrl = generateURI({ issuer: `Sanad (${p.tenantName})`, label: p.email, secret });
  const blob = await s.fields.encrypt(
    { tenantId: p.tenantId, table: 'users', field: 'totp_pending', rowId: p.userId },
    secret,
    s.db,
  );
  await s.db.updateTable('users').set({ totp_pending: blob }).where('id', '=', p.userId).execute();
  const qrSvg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { secret, otpauthUrl, qrSvg };
}

/** Confirms enrolment with a code from the pending secret; the session counts as MFA-passed. */
export async function enableMfa(
  s: Services,
  p: Principal,
  oldHash: Buffer,
  code: string,
  req: RequestInfo,
): Promise<string> {
  if (p.mfaEnabled && !p.mfaPassed) throw new AppError('MFA_REQUIRED', 'pass your current second factor first');
  const user = await s.db
    .selectFrom('users')
    .select(['id', 'tenant_id', 'totp_pending'])
    .where('id', '=', p.userId)
    .executeTakeFirstOrThrow();
  if (!user.totp_pending)
    throw new AppError('MFA_INVALID', 'start enrolment first', {
      details: [{ path: 'code', code: 'no_pending_enrolment' }],
    });
  const step = await checkCode(s, p, user.totp_pending, 'totp_pending', code, null);
  if (step === null)
    throw new AppError('MFA_INVALID', 'the code is wrong', { details: [{ path: 'code', code: 'invalid' }] });
  const secret = await s.fields.decrypt(
    { tenantId: p.tenantId, table: 'users', field: 'totp_pending', rowId: p.userId },
    user.totp_pending,
    s.db,
  );
  const blob = await s.fields.encrypt(
    { tenantId: p.tenantId, table: 'users', field: 'totp_secret', rowId: p.userId },
    secret,
    s.db,
  );
  return s.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({
        totp_secret: blob,
        totp_pending: null,
        totp_enabled: true,
        totp_last_step: step,
        version: sql`version + 1`,
      } as never)
      .where('id', '=', p.userId)
      .execute();
    await revokeLoginSession(tx, oldHash);
    const token = await createLoginSession(tx, s.config, user, { mfaPassed: true, userAgent: req.userAgent });
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: req.requestId }).append({
      action: 'auth.mfa_enrol',
      entityType: 'user',
      entityId: p.userId,
    });
    return token;
  });
}

/** Changes the password after checking the current one; ends the user's other sessions. */
export async function changePassword(
  s: Services,
  p: Principal,
  currentHash: Buffer,
  current: string,
  next: string,
  req: RequestInfo,
): Promise<void> {
  await claimAttempt(s.db, p.email);
  const user = await s.db
    .selectFrom('users')
    .select(['password_hash'])
    .where('id', '=', p.userId)
    .executeTakeFirstOrThrow();
  if (!(await verifyPassword(user.password_hash, current))) {
    throw new AppError('PASSWORD_WRONG', 'the current password is wrong', {
      details: [{ path: 'currentPassword', code: 'wrong' }],
    });
  }
  await clearFailures(s.db, p.email);
  checkPasswordPolicy(next, p.email);
  const hashed = await hashPassword(next);
  await s.db.transaction().execute(async (tx) => {
    await tx
      .updateTable('users')
      .set({ password_hash: hashed, updated_at: new Date() })
      .where('id', '=', p.userId)
      .execute();
    await revokeAllLoginSessions(tx, p.userId, currentHash);
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId: req.requestId }).append({
      action: 'auth.password_change',
      entityType: 'user',
      entityId: p.userId,
    });
  });
}

/** Ends one login session (also a dead one), audited when it still named a principal. */
export async function logout(s: Services, hash: Buffer, p: Principal | null, requestId: string): Promise<void> {
  await s.db.transaction().execute(async (tx) => {
    await revokeLoginSession(tx, hash);
    if (p)
      await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
        action: 'auth.logout',
        entityType: 'user',
        entityId: p.userId,
      });
  });
}

/** Ends every login session of the principal. */
export async function logoutAll(s: Services, p: Principal, requestId: string): Promise<void> {
  await s.db.transaction().execute(async (tx) => {
    await revokeAllLoginSessions(tx, p.userId);
    await new AuditLog(tx, { tenantId: p.tenantId, actorId: p.userId, requestId }).append({
      action: 'auth.logout_all',
      entityType: 'user',
      entityId: p.userId,
    });
  });
}
