/** HTTP routes for the signed-in user's profile and for user administration. */
import { createRoute, z } from '@hono/zod-openapi';
import { ROLES } from '../../../core/roles.ts';
import { humanName } from '../../../core/text.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, PageQuery, requireUser, router } from '../../http/openapi.ts';
import { inviteUser, listUsers, setRoles, setStatus, unlockUser } from './service.ts';
import type { Principal } from '../../access/principal.ts';

const Role = z.enum(ROLES);
const User = z
  .object({
    id: z.string().uuid(),
    email: z.string(),
    displayName: z.string(),
    roles: z.array(z.string()),
    status: z.enum(['active', 'disabled', 'invited']),
    mfaEnabled: z.boolean(),
    version: z.number().int(),
    createdAt: z.string(),
    lastLoginAt: z.string().nullable(),
  })
  .openapi('User');
const UserList = z.object({ items: z.array(User), nextCursor: z.string().nullable() }).openapi('UserList');
const InviteRequest = z
  .strictObject({
    email: z.string().trim().toLowerCase().max(254).email(),
    displayName: humanName(200),
    roles: z
      .array(Role)
      .min(1)
      .max(ROLES.length)
      .transform((r) => [...new Set(r)]),
  })
  .openapi('InviteUserRequest');
const InviteResponse = z
  .object({
    invitation: z.object({ id: z.string(), email: z.string(), roles: z.array(z.string()), expiresAt: z.string() }),
    link: z.string(),
  })
  .openapi('InviteUserResponse');
const UnlockResponse = z.object({ wasLocked: z.boolean(), failures: z.number().int() }).openapi('UnlockUserResponse');
const RolesRequest = z
  .strictObject({
    roles: z
      .array(Role)
      .min(1)
      .max(ROLES.length)
      .transform((r) => [...new Set(r)]),
  })
  .openapi('UpdateUserRequest');
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
  })
  .openapi('Me');
const Prefs = z
  .strictObject({
    locale: z.enum(['en', 'ar', 'ur', 'fr']).optional(),
    calendar: z.enum(['gregory', 'islamic-umalqura']).optional(),
  })
  .openapi('UpdatePreferencesRequest');
const Sessions = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        createdAt: z.string(),
        lastSeenAt: z.string(),
        userAgent: z.string().nullable(),
        current: z.boolean(),
      }),
    ),
  })
  .openapi('SessionList');
const IdParam = z.object({ id: z.string().max(64) });
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
      const b = c.req.valid('json');
      const row = await c
        .get('services')
        .db.updateTable('users')
        .set({
          ...(b.locale ? { locale: b.locale } : {}),
          ...(b.calendar ? { calendar: b.calendar } : {}),
          updated_at: new Date(),
        })
        .where('id', '=', p.userId)
        .returning(['locale', 'calendar'])
        .executeTakeFirstOrThrow();
      return c.json(
        meView({ ...p, locale: row.locale, calendar: row.calendar }, c.get('services').config.sessionIdleMinutes),
        200,
      );
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
      const rows = await c
        .get('services')
        .db.selectFrom('user_sessions')
        .select(['id', 'created_at', 'last_seen_at', 'user_agent'])
        .where('user_id', '=', p.userId)
        .where('revoked_at', 'is', null)
        .where('expires_at', '>', new Date())
        .orderBy('last_seen_at', 'desc')
        .limit(50)
        .execute();
      return c.json(
        {
          items: rows.map((r) => ({
            id: r.id,
            createdAt: r.created_at.toISOString(),
            lastSeenAt: r.last_seen_at.toISOString(),
            userAgent: r.user_agent,
            current: r.id === p.sessionId,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/users',
      tags: ['users'],
      summary: 'List users of the tenant',
      request: {
        query: z.object({
          ...PageQuery,
          q: z.string().max(100).optional(),
          status: z.enum(['active', 'disabled', 'invited']).optional(),
        }),
      },
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
      const r = await inviteUser(s, requireUser(c), c.get('requestId'), c.req.valid('json'));
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
