/** The users feature's reads and writes: the user list, invitations, roles, status, unlock. */
import type { z } from 'zod';
import type { Role } from '../../../core/roles';
import type { InviteResponse, UnlockResponse, User } from '../../../server/modules/users/schema';
import { ApiError, withQuery } from '../../api/client';
import { useWrite } from '../../api/hooks';
import type { Page } from '../../api/types';
import { usePagedList } from '../../api/use-paged-list';

const USERS = '/api/v1/users';
export const userKeys = { list: ['users'] as const };

export type UserRow = z.infer<typeof User>;
export type UserStatus = UserRow['status'];
export type InvitationCreated = z.infer<typeof InviteResponse>;

/** GET /users, filtered by text and status, page by page. */
export function useUsers(filters: { q?: string; status?: string }) {
  return usePagedList<UserRow>(userKeys.list, USERS, filters);
}

/** POST /users/invitations: a one-time link for a new user. */
export function useInviteUser() {
  return useWrite<{ email: string; displayName: string; roles: Role[] }, InvitationCreated>({
    method: 'POST',
    path: () => `${USERS}/invitations`,
    body: (v) => v,
    invalidates: () => [userKeys.list],
  });
}

/** PATCH /users/{id} { roles } with If-Match. */
export function useSetRoles(options?: { onSuccess?: () => unknown }) {
  return useWrite<{ user: UserRow; roles: Role[] }, UserRow>(
    {
      method: 'PATCH',
      path: (v) => `${USERS}/${v.user.id}`,
      body: (v) => ({ roles: v.roles }),
      version: (v) => v.user.version,
      invalidates: () => [userKeys.list],
    },
    options,
  );
}

/** POST /users/{id}/disable, or /enable for a disabled user, with If-Match. */
export function useToggleUserStatus(options?: { onSuccess?: () => unknown }) {
  return useWrite<UserRow, UserRow>(
    {
      method: 'POST',
      path: (u) => `${USERS}/${u.id}/${u.status === 'disabled' ? 'enable' : 'disable'}`,
      version: (u) => u.version,
      invalidates: () => [userKeys.list],
    },
    options,
  );
}

/** POST /users/{id}/unlock: clears a sign-in lock (audited); says whether there was one. */
export function useUnlockUser() {
  return useWrite<UserRow, z.infer<typeof UnlockResponse>>({
    method: 'POST',
    path: (u) => `${USERS}/${u.id}/unlock`,
  });
}

/** Reads one user again after a version conflict (the list filtered by email); 404 when gone. */
export function useReloadUser() {
  return useWrite<UserRow, UserRow>({
    method: 'GET',
    path: (u) => withQuery(USERS, { q: u.email, limit: 50 }),
    read: (raw, u) => {
      const found = (raw as Page<UserRow>).items.find((x) => x.id === u.id);
      if (!found) throw new ApiError(404, 'NOT_FOUND', 'user not found');
      return found;
    },
  });
}
