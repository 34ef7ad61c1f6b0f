/** The auth feature's reads and writes: sign-in (password, TOTP, enrolment), invitations, password, preferences, login sessions. */
import type { z } from 'zod';
import type {
  AcceptInvitationRequest,
  InvitationInfo,
  LoginResponse,
  MfaSetupResponse,
  PasswordChangeRequest,
} from '../../../server/modules/auth/schema';
import type { Sessions } from '../../../server/modules/users/schema';
import { useGet, useWrite } from '../../api/hooks';
import { meKey } from '../../api/queries';

const V = '/api/v1';

export type LoginResult = z.infer<typeof LoginResponse>;
export type MfaSetup = z.infer<typeof MfaSetupResponse>;
export type Invitation = z.infer<typeof InvitationInfo>;
/** The user's signed-in browsers (login sessions, not case sessions). */
export type LoginSessions = z.infer<typeof Sessions>;

/** POST /auth/login: the password step; a finished sign-in reloads /me. */
export function useLogin(options?: { onSuccess?: (r: LoginResult) => unknown }) {
  return useWrite<{ email: string; password: string }, LoginResult>(
    {
      method: 'POST',
      path: () => `${V}/auth/login`,
      body: (v) => v,
      quiet401: true,
      invalidates: (_v, r) => (r.status === 'ok' ? [meKey] : []),
    },
    options,
  );
}

/** POST /auth/mfa: the TOTP step; then /me is read again. */
export function useVerifyMfa(options?: { onError?: () => unknown }) {
  return useWrite<string, LoginResult>(
    {
      method: 'POST',
      path: () => `${V}/auth/mfa`,
      body: (code) => ({ code }),
      quiet401: true,
      invalidates: () => [meKey],
    },
    options,
  );
}

/** POST /auth/mfa/setup: a new secret and its QR code. */
export function useMfaSetup() {
  return useWrite<void, MfaSetup>({ method: 'POST', path: () => `${V}/auth/mfa/setup` });
}

/** POST /auth/mfa/enable: confirms the enrolment with a first code; /me is read again. */
export function useMfaEnable(options?: { onSuccess?: () => unknown }) {
  return useWrite<string, { status: string }>(
    { method: 'POST', path: () => `${V}/auth/mfa/enable`, body: (code) => ({ code }), invalidates: () => [meKey] },
    options,
  );
}

/** POST /me/password. */
export function useChangePassword(options?: { onSuccess?: () => unknown }) {
  return useWrite<z.input<typeof PasswordChangeRequest>, void>(
    { method: 'POST', path: () => `${V}/me/password`, body: (v) => v },
    options,
  );
}

/** GET /auth/invitations/{token} (public). */
export function useInvitation(token: string) {
  return useGet<Invitation>(['invitation', token], `${V}/auth/invitations/${encodeURIComponent(token)}`, {
    quiet401: true,
    retry: false,
  });
}

/** POST /auth/invitations/{token}/accept: choose a name and password (public). */
export function useAcceptInvitation(token: string, options?: { onSuccess?: () => unknown }) {
  return useWrite<z.input<typeof AcceptInvitationRequest>, { status: string }>(
    {
      method: 'POST',
      path: () => `${V}/auth/invitations/${encodeURIComponent(token)}/accept`,
      body: (v) => v,
      quiet401: true,
    },
    options,
  );
}

/** GET /me/sessions: where the user is signed in. */
export function useLoginSessions() {
  return useGet<LoginSessions>(['login-sessions'], `${V}/me/sessions`);
}
