/** HTTP routes for sign-in, second factor, login sessions, password and invitations. */
import { createRoute } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { AppError } from '../../../core/errors.ts';
import { errors, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import type { AppEnv } from '../../http/context.ts';
import type { RouteAccess } from '../../http/middleware.ts';
import { changePassword, enableMfa, login, logout, logoutAll, setupMfa, verifyMfa } from './service.ts';
import { acceptInvitation, describeInvitation } from './invitations.ts';
import { clearLoginCookie, setLoginCookie } from './login-sessions.ts';
import {
  AcceptInvitationRequest,
  CodeRequest,
  Email,
  InvitationInfo,
  LoginRequest,
  LoginResponse,
  MfaSetupResponse,
  PasswordChangeRequest,
  TokenParam,
} from './schema.ts';

/**
 * The one list of /api/v1 routes open to less than a full sign-in; every other route needs a
 * session with its second factor passed (`http/middleware.ts` `authGate`, deny by default). The
 * public certificate routes (`/api/v1/public/*`) and the academy pages are mounted outside the API
 * router and need no entry.
 */
export const ROUTE_ACCESS: RouteAccess = {
  // No session needed: signing in, signing out (also with a dead session), invitation links.
  public: [
    'POST /auth/login',
    'POST /auth/logout',
    'GET /auth/invitations/{token}',
    'POST /auth/invitations/{token}/accept',
    'GET /auth/session',
  ],
  // A password-only session: pass or enrol the second factor, and see who is signed in.
  partial: ['POST /auth/mfa', 'POST /auth/mfa/setup', 'POST /auth/mfa/enable', 'GET /me'],
};

function info(c: Context<AppEnv>) {
  return { requestId: c.get('requestId'), ip: c.get('clientIp'), userAgent: c.req.header('user-agent') };
}

function currentHash(c: Context<AppEnv>): Buffer {
  const h = c.get('sessionTokenHash');
  if (!h) throw new AppError('UNAUTHENTICATED', 'sign in first');
  return h;
}

/** Routes under /api/v1/auth and /api/v1/me/password. */
export function authRoutes() {
  const app = router();
  const tags = ['auth'];

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/login',
      tags,
      summary: 'Sign in with email and password',
      request: { body: jsonBody(LoginRequest) },
      responses: {
        200: jsonResponse(LoginResponse),
        ...errors(
          'INVALID_CREDENTIALS',
          'ACCOUNT_LOCKED',
          'RATE_LIMITED',
          'CSRF_ORIGIN',
          'MALFORMED_JSON',
          'UNSUPPORTED_MEDIA_TYPE',
          'PAYLOAD_TOO_LARGE',
        ),
      },
    }),
    async (c) => {
      const body = c.req.valid('json');
      const email = Email.safeParse(body.email);
      const s = c.get('services');
      // A malformed email is just a wrong credential: same answer, same work.
      const r = await login(s, email.success ? email.data : body.email, body.password, info(c));
      setLoginCookie(c, s.config, r.token);
      return c.json({ status: r.status }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/mfa',
      tags,
      summary: 'Complete sign-in with a TOTP code',
      request: { body: jsonBody(CodeRequest) },
      responses: { 200: jsonResponse(LoginResponse), ...errors('UNAUTHENTICATED', 'MFA_INVALID', 'ACCOUNT_LOCKED') },
    }),
    async (c) => {
      const p = requireUser(c, { partial: true });
      const s = c.get('services');
      const token = await verifyMfa(s, p, currentHash(c), c.req.valid('json').code, info(c));
      setLoginCookie(c, s.config, token);
      return c.json({ status: 'ok' as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/mfa/setup',
      tags,
      summary: 'Start TOTP enrolment (QR code)',
      responses: { 200: jsonResponse(MfaSetupResponse), ...errors('UNAUTHENTICATED', 'MFA_REQUIRED') },
    }),
    async (c) => c.json(await setupMfa(c.get('services'), requireUser(c, { partial: true })), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/mfa/enable',
      tags,
      summary: 'Confirm TOTP enrolment with a code',
      request: { body: jsonBody(CodeRequest) },
      responses: { 200: jsonResponse(LoginResponse), ...errors('UNAUTHENTICATED', 'MFA_INVALID', 'MFA_REQUIRED') },
    }),
    async (c) => {
      const p = requireUser(c, { partial: true });
      const s = c.get('services');
      const token = await enableMfa(s, p, currentHash(c), c.req.valid('json').code, info(c));
      setLoginCookie(c, s.config, token);
      return c.json({ status: 'ok' as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout',
      tags,
      summary: 'End this session',
      responses: { 204: { description: 'Signed out' }, ...errors() },
    }),
    async (c) => {
      const s = c.get('services');
      const hash = c.get('sessionTokenHash');
      if (hash) await logout(s, hash, c.get('principal'), c.get('requestId'));
      clearLoginCookie(c, s.config);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/logout-all',
      tags,
      summary: 'End every session of the signed-in user',
      responses: { 204: { description: 'Signed out everywhere' }, ...errors('UNAUTHENTICATED') },
    }),
    async (c) => {
      // Needs the second factor: a stolen password alone must not sign the owner out everywhere.
      const p = requireUser(c);
      const s = c.get('services');
      await logoutAll(s, p, c.get('requestId'));
      clearLoginCookie(c, s.config);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/me/password',
      tags,
      summary: 'Change own password',
      request: { body: jsonBody(PasswordChangeRequest) },
      responses: {
        204: { description: 'Changed' },
        ...errors(
          'UNAUTHENTICATED',
          'MFA_REQUIRED',
          'PASSWORD_WRONG',
          'PASSWORD_TOO_SHORT',
          'PASSWORD_TOO_LONG',
          'PASSWORD_COMMON',
          'ACCOUNT_LOCKED',
        ),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const b = c.req.valid('json');
      await changePassword(c.get('services'), p, currentHash(c), b.currentPassword, b.newPassword, info(c));
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/auth/invitations/{token}',
      tags,
      summary: 'Describe an invitation link',
      request: { params: TokenParam },
      responses: { 200: jsonResponse(InvitationInfo), ...errors('INVITATION_INVALID') },
    }),
    async (c) => c.json(await describeInvitation(c.get('services'), c.req.valid('param').token), 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/auth/invitations/{token}/accept',
      tags,
      summary: 'Accept an invitation and set a password',
      request: { params: TokenParam, body: jsonBody(AcceptInvitationRequest) },
      responses: {
        200: jsonResponse(LoginResponse),
        ...errors('INVITATION_INVALID', 'PASSWORD_TOO_SHORT', 'PASSWORD_TOO_LONG', 'PASSWORD_COMMON', 'RATE_LIMITED'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      await acceptInvitation(c.get('services'), c.req.valid('param').token, b.displayName, b.password, info(c));
      return c.json({ status: 'ok' as const }, 200);
    },
  );

  return app;
}
