/** What user administration and the signed-in user's own routes accept and return (the /me document: routes.ts). */
import { z } from '@hono/zod-openapi';
import { ROLES } from '../../../core/roles.ts';
import { humanName } from '../../../core/text.ts';
import { PageQuery } from '../../http/openapi.ts';

const Role = z.enum(ROLES);
export const User = z
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
export const UserList = z.object({ items: z.array(User), nextCursor: z.string().nullable() }).openapi('UserList');
export const UserListQuery = z.object({
  ...PageQuery,
  q: z.string().max(100).optional(),
  status: z.enum(['active', 'disabled', 'invited']).optional(),
});
export const InviteRequest = z
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
export const InviteResponse = z
  .object({
    invitation: z.object({ id: z.string(), email: z.string(), roles: z.array(z.string()), expiresAt: z.string() }),
    link: z.string(),
  })
  .openapi('InviteUserResponse');
export const UnlockResponse = z
  .object({ wasLocked: z.boolean(), failures: z.number().int() })
  .openapi('UnlockUserResponse');
export const RolesRequest = z
  .strictObject({
    roles: z
      .array(Role)
      .min(1)
      .max(ROLES.length)
      .transform((r) => [...new Set(r)]),
  })
  .openapi('UpdateUserRequest');
export const Prefs = z
  .strictObject({
    locale: z.enum(['en', 'ar', 'ur', 'fr']).optional(),
    calendar: z.enum(['gregory', 'islamic-umalqura']).optional(),
  })
  .openapi('UpdatePreferencesRequest');
export const Sessions = z
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
export const IdParam = z.object({ id: z.string().max(64) });
