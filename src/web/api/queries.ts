/** The session-wide reads (health, me) and sign-out, which the shell and every feature share. */
import { QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ApiError } from './client';
import { useGet, useWrite } from './hooks';
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
  return useGet<Health>(['health'], '/api/health', { staleTime: 5 * 60_000, quiet401: true });
}

/** The signed-in user (the /me document), or null: GET /api/v1/auth/session answers 200 either way. */
export function useMe() {
  return useQuery({
    queryKey: meKey,
    queryFn: async ({ signal }) => (await api<{ me: Me | null }>('GET', '/api/v1/auth/session', { signal })).me,
    staleTime: 60_000,
  });
}

/** PATCH /me/preferences (language, calendar): the answer is the new /me. */
export function useSavePreferences() {
  return useWrite<{ locale?: Locale; calendar?: CalendarPref }, Me>({
    method: 'PATCH',
    path: () => '/api/v1/me/preferences',
    body: (v) => v,
    updates: (me) => [[meKey, me]],
  });
}

/** Forgets every cached read but the session probe and health (after sign-out or an ended session). */
export function useForgetSession() {
  const qc = useQueryClient();
  return useCallback(() => {
    qc.setQueryData(meKey, null);
    qc.removeQueries({ predicate: (q) => q.queryKey[0] !== 'me' && q.queryKey[0] !== 'health' });
  }, [qc]);
}

/** POST logout (or logout-all, `true`) and forget every cached read; a 401 means already signed out. */
export function useLogout() {
  const forget = useForgetSession();
  return useWrite<boolean, void>(
    {
      method: 'POST',
      path: (everywhere) => (everywhere ? '/api/v1/auth/logout-all' : '/api/v1/auth/logout'),
      quiet401: true,
      fine: (e) => e instanceof ApiError && e.status === 401,
    },
    { onSuccess: forget },
  );
}
