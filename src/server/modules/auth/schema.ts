/** What the sign-in, second-factor, password and invitation routes accept and return. */
import { z } from '@hono/zod-openapi';
import { humanName } from '../../../core/text.ts';
import { PASSWORD_MAX } from './passwords.ts';

export const Email = z.string().trim().toLowerCase().max(254).email();
const Code = z.string().regex(/^\d{6}$/, 'six digits');

export const LoginRequest = z
  .strictObject({
    email: z.string().max(254),
    password: z
      .string()
      .min(1)
      .max(PASSWORD_MAX * 4),
  })
  .openapi('LoginRequest');
export const LoginResponse = z
  .object({ status: z.enum(['ok', 'mfa_required', 'mfa_enrol_required']) })
  .openapi('LoginResponse');
export const CodeRequest = z.strictObject({ code: Code }).openapi('MfaCodeRequest');
export const MfaSetupResponse = z
  .object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() })
  .openapi('MfaSetupResponse');
export const PasswordChangeRequest = z
  .strictObject({
    currentPassword: z
      .string()
      .min(1)
      .max(PASSWORD_MAX * 4),
    newPassword: z.string().max(PASSWORD_MAX * 4),
  })
  .openapi('PasswordChangeRequest');
export const InvitationInfo = z
  .object({ email: z.string(), tenantName: z.string(), expiresAt: z.string() })
  .openapi('InvitationInfo');
export const AcceptInvitationRequest = z
  .strictObject({ displayName: humanName(200), password: z.string().max(PASSWORD_MAX * 4) })
  .openapi('AcceptInvitationRequest');
// Any token the service does not know, whatever its shape, gets the same 404 INVITATION_INVALID.
export const TokenParam = z.object({ token: z.string().max(2048) });
