/** TanStack Query hooks for the session-wide resources (health, me) and shared mutations. */
import { QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError } from './client';
import type { CalendarPref, Health, Locale, Me } from './types';

/** The app's query client: retries only network/5xx failures, never 4xx. */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        refetchOnWindowFocus: false,
        staleTime: 30_000,
        retry: (count, err) => err instanceof ApiError && (err.status === 0 || err.status >= 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

export const meKey = ['me'] as const;

/** GET /api/health (demo flag, version). */
export function useHealth() {
  return useQuery({
    queryKey: ['health'],
    queryFn: ({ signal }) => api<Health>('GET', '/api/health', { signal, quiet401: true }),
    staleTime: 5 * 60_000,
  });
}

/** GET /api/v1/me; null when there is no session (401). */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => {
      try {
        return await api<Me>('GET', '/api/v1/me', { signal, quiet401: true });
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) return null;
        throw e;
      }
    },
    staleTime: 60_000,
  });
}

/** PATCH /api/v1/me/preferences; updates the cached /me. */
export function useSavePreferences() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (prefs: { locale?: Locale; calendar?: CalendarPref }) =>
      api<Me>('PATCH', '/api/v1/me/preferences', { body: prefs }),
    onSuccess: (me) => qc.setQueryData(meKey, me),
  });
}

/** POST logout (or logout-all) and forget every cached query. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (everywhere: boolean) =>
      api<void>('POST', everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout', { quiet401: true }).catch(
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 401) return;
          throw e;
        },
      ),
    onSuccess: () => {
      qc.setQueryData(meKey, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'health' });
    },
  });
}
