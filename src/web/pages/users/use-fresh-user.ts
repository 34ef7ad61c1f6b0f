/** Re-reads one user after a version conflict (the list endpoint filtered by email). */
import { useMutation } from '@tanstack/react-query';
import { api, ApiError, withQuery } from '../../api/client';
import type { Page, UserRow } from '../../api/types';

/** A mutation that resolves to the current server copy of the user. */
export function useFreshUser() {
  return useMutation({
    mutationFn: async (user: UserRow) => {
      const page = await api<Page<UserRow>>('GET', withQuery('/api/v1/users', { q: user.email, limit: 50 }));
      const found = page.items.find((u) => u.id === user.id);
      if (!found) throw new ApiError(404, 'NOT_FOUND', 'user not found');
      return found;
    },
  });
}
