/** HTTP routes for the signed-in user's profile and for user administration. */
import { createRoute, z } from '@hono/zod-openapi';
import { abilitiesOf } from '../../../core/abilities.ts';
import { ACTIONS } from '../../../core/roles.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import {
  adminInvite,
  listLoginSessions,
  listUsers,
  setPreferences,
  setRoles,
  setStatus,
  unlockUser,
} from './service.ts';
import {
  IdParam,
  InviteRequest,
  InviteResponse,
  Prefs,
  RolesRequest,
  Sessions,
  UnlockResponse,
  User,
  UserList,
  UserListQuery,
} from './schema.ts';
import type { Principal } from '../../access/principal.ts';

const Me = z
  .object({
    user: z.object({
      id: z.string(),
      email: z.string(),
      displayName: z.string(),
      roles: z.array(z.string()),
      locale: z.enum(['en', 'ar', 'ur', 'fr']),
      calendar: z.enum(['gregory', 'islamic-umalqura']),
      mfaEnabled: z.boolean(),
      isDemo: z.boolean(),
    }),
    tenant: z.object({ id: z.string(), name: z.string(), isDemo: z.boolean() }),
    session: z.object({
      mfaPassed: z.boolean(),
      mustEnrolMfa: z.boolean(),
      expiresAt: z.string(),
      idleExpiresAt: z.string(),
    }),
    /** The policy actions the user's roles allow (core/abilities.ts), sorted: what the web shows; the server still checks. */
    abilities: z.array(z.enum(ACTIONS)),
  })
  .openapi('Me');
const conflict = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED');

/** The /me document for a principal. */
function meView(p: Principal, idleMinutes: number) {
  const idle = new Date(p.lastSeenAt.getTime() + idleMinutes * 60_000);
  return {
    user: {
      id: p.userId,
      email: p.email,
      displayName: p.displayName,
      roles: p.roles,
      locale: p.locale,
      calendar: p.calendar,
      mfaEnabled: p.mfaEnabled,
      isDemo: p.isDemo,
    },
    tenant: { id: p.tenantId, name: p.tenantName, isDemo: p.tenantIsDemo },
    session: {
      mfaPassed: p.mfaPassed,
      mustEnrolMfa: p.mustEnrolMfa,
      expiresAt: p.sessionExpiresAt.toISOString(),
      idleExpiresAt: (idle < p.sessionExpiresAt ? idle : p.sessionExpiresAt).toISOString(),
    },
    abilities: abilitiesOf(p.roles),
  };
}

/** Routes under /api/v1/me and /api/v1/users. */
export function userRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me',
      tags: ['me'],
      summary: 'The signed-in user, tenant and session',
      responses: { 200: jsonResponse(Me), ...errors('UNAUTHENTICATED') },
    }),
    async (c) => {
      return c.json(meView(requireUser(c, { partial: true }), c.get('services').config.sessionIdleMinutes), 200);
    },
  );

  // The web's session probe: 200 whether or not anyone is signed in, so a signed-out page logs no 401.
  app.openapi(
    createRoute({
      method: 'get',
      path: '/auth/session',
      tags: ['auth'],
      summary: 'Who is signed in on this browser: the /me document, or null',
      responses: {
        200: jsonResponse(z.object({ me: Me.nullable() }).openapi('SessionProbe')),
        ...errors('UNAVAILABLE'),
      },
    }),
    async (c) => {
      const p = c.get('principal');
      return c.json({ me: p ? meView(p, c.get('services').config.sessionIdleMinutes) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/me/preferences',
      tags: ['me'],
      summary: 'Set language and calendar; returns the updated /me',
      request: { body: jsonBody(Prefs) },
      responses: { 200: jsonResponse(Me), ...errors('UNAUTHENTICATED') },
    }),
    async (c) => {
      const p = requireUser(c);
      const row = await setPreferences(c.get('services'), p, c.req.valid('json'));
      return c.json(meView({ ...p, ...row }, c.get('services').config.sessionIdleMinutes), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/me/sessions',
      tags: ['me'],
      summary: 'My active sessions',
      responses: { 200: jsonResponse(Sessions), ...errors('UNAUTHENTICATED') },
    }),
    async (c) => {
      const p = requireUser(c);
      return c.json({ items: await listLoginSessions(c.get('services'), p) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags: ['users'],
      summary: 'List users of the tenant',
      request: { query: UserListQuery },
      responses: { 200: jsonResponse(UserList), ...errors('UNAUTHENTICATED', 'FORBIDDEN') },
    }),
    async (c) => {
      return c.json(await listUsers(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('query')), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/invitations',
      tags: ['users'],
      summary: 'Invite a user by one-time link',
      request: { body: jsonBody(InviteRequest) },
      responses: {
        201: jsonResponse(InviteResponse, 'Invited'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'ALREADY_EXISTS'),
      },
    }),
    async (c) => {
      const s = c.get('services');
      const r = await adminInvite(s, requireUser(c), c.get('requestId'), c.req.valid('json'));
      const origin = s.config.publicOrigins[0] ?? new URL(c.req.url).origin;
      return c.json({ invitation: r.invitation, link: `${origin}/invite/${r.token}` }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/users/{id}',
      tags: ['users'],
      summary: "Change a user's roles",
      request: { params: IdParam, body: jsonBody(RolesRequest) },
      responses: { 200: jsonResponse(User), ...conflict },
    }),
    async (c) => {
      const u = await setRoles(
        c.get('services'),
        requireUser(c),
        c.get('requestId'),
        c.req.valid('param').id,
        ifMatch(c),
        c.req.valid('json').roles,
      );
      etag(c, u.version);
      return c.json(u, 200);
    },
  );

  for (const [path, disable] of [
    ['/users/{id}/disable', true],
    ['/users/{id}/enable', false],
  ] as const) {
    app.openapi(
      createRoute({
        method: 'post',
        path,
        tags: ['users'],
        summary: disable ? 'Disable an account (ends its sessions)' : 'Re-enable an account',
        request: { params: IdParam },
        responses: { 200: jsonResponse(User), ...conflict },
      }),
      async (c) => {
        const u = await setStatus(
          c.get('services'),
          requireUser(c),
          c.get('requestId'),
          c.req.valid('param').id,
          ifMatch(c),
          disable,
        );
        etag(c, u.version);
        return c.json(u, 200);
      },
    );
  }
  app.openapi(
    createRoute({
      method: 'post',
      path: '/users/{id}/unlock',
      tags: ['users'],
      summary: 'End the sign-in lockout of an account (clears its failed password and TOTP attempts)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(UnlockResponse), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      return c.json(
        await unlockUser(c.get('services'), requireUser(c), c.get('requestId'), c.req.valid('param').id),
        200,
      );
    },
  );
  return app;
}
