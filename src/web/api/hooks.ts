/**
 * The one way the web reads and writes the API. Every write is a named hook in its feature's api file
 * (e.g. `useSubmitPlan(participantId)`) built on `useWrite`, which writes once: the call (path, body,
 * If-Match), the error mapping (field errors by path, version conflicts) and the cache refresh.
 */
import { useMutation, useQuery, useQueryClient, type QueryClient, type QueryKey } from '@tanstack/react-query';
import { api, fieldErrors, isApiError } from './client';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** GET `path` under `key` (options as TanStack Query takes them). */
export function useGet<T>(
  key: QueryKey,
  path: string,
  opts: {
    enabled?: boolean;
    refetchOnWindowFocus?: boolean;
    staleTime?: number;
    retry?: boolean;
    quiet401?: boolean;
  } = {},
) {
  const { quiet401, ...rest } = opts;
  return useQuery({ queryKey: key, queryFn: ({ signal }) => api<T>('GET', path, { signal, quiet401 }), ...rest });
}

/** How one write talks to the API and which cached reads it changes. */
export interface WriteSpec<V, R> {
  /** The HTTP method (or, for one hook that creates or changes, the method for these variables). */
  method: Method | ((vars: V) => Method);
  /** The API path for these variables. */
  path: (vars: V) => string;
  body?: (vars: V) => unknown;
  /** The record version sent as If-Match; read when the request goes out (so it may take the newest from the cache). */
  version?: (vars: V, qc: QueryClient) => number | string | undefined;
  /** Writes that must not overlap (autosaves of one record) share a queue name: each waits for the one before. */
  queue?: (vars: V) => string;
  /** Something to finish before sending (e.g. answers still being saved before a submit). */
  before?: (vars: V) => Promise<unknown>;
  /** A 401 here is an answer, not "the session ended" (sign-in steps). */
  quiet401?: boolean;
  /** Shapes the answer (may throw, e.g. an ApiError when it lacks what was asked for). */
  read?: (raw: unknown, vars: V) => R;
  /** Errors that mean the write's purpose is met anyway (it then resolves to undefined). */
  fine?: (error: unknown) => boolean;
  /** Cached reads the answer replaces at once (before a queued write that follows is sent). */
  updates?: (data: R, vars: V) => readonly (readonly [QueryKey, unknown])[];
  /** Cached reads to refresh after success. */
  invalidates?: (vars: V, data: R) => readonly QueryKey[];
  /** Refresh them after a failure too (the record may have changed meanwhile, e.g. a 404 after someone else's retire). */
  refreshOnError?: boolean;
}

/** A page's own reaction to a write (navigate, close, reset a form), after the cache work. */
export interface WriteOptions<V, R> {
  onSuccess?: (data: R, vars: V) => unknown;
  onError?: (error: Error, vars: V) => unknown;
  onSettled?: (data: R | undefined, error: Error | null, vars: V) => unknown;
}

const queues = new Map<string, Promise<unknown>>();

/** Runs `run` after the writes already queued under `name`, whatever their outcome. */
function enqueue<R>(name: string, run: () => Promise<R>): Promise<R> {
  const p = (queues.get(name) ?? Promise.resolve()).then(run, run);
  const tail = p.then(
    () => undefined,
    () => undefined,
  );
  queues.set(name, tail);
  void tail.then(() => {
    if (queues.get(name) === tail) queues.delete(name);
  });
  return p;
}

/**
 * A write as a mutation, plus `fieldErrors` (dotted field path → detail code, from a 400) and
 * `conflict` (the record changed since it was read: 409 VERSION_CONFLICT).
 */
export function useWrite<V = void, R = unknown>(spec: WriteSpec<V, R>, options: WriteOptions<V, R> = {}) {
  const qc = useQueryClient();
  const call = async (vars: V): Promise<R> => {
    await spec.before?.(vars);
    try {
      const method = typeof spec.method === 'function' ? spec.method(vars) : spec.method;
      const raw = await api<unknown>(method, spec.path(vars), {
        body: spec.body?.(vars),
        version: spec.version?.(vars, qc),
        quiet401: spec.quiet401,
      });
      const data = spec.read ? spec.read(raw, vars) : (raw as R);
      // Into the cache before the next queued write reads its version from there.
      for (const [key, value] of spec.updates?.(data, vars) ?? []) qc.setQueryData(key, value);
      return data;
    } catch (e) {
      if (spec.fine?.(e)) return undefined as R;
      throw e;
    }
  };
  const refresh = (vars: V, data: R) => {
    for (const key of spec.invalidates?.(vars, data) ?? []) void qc.invalidateQueries({ queryKey: key });
  };
  const m = useMutation<R, Error, V>({
    mutationFn: (vars) => {
      const q = spec.queue?.(vars);
      return q ? enqueue(q, () => call(vars)) : call(vars);
    },
    onSuccess: (data, vars) => {
      if (!spec.refreshOnError) refresh(vars, data);
      return options.onSuccess?.(data, vars);
    },
    onError: (error, vars) => options.onError?.(error, vars),
    onSettled: (data, error, vars) => {
      if (spec.refreshOnError) refresh(vars, data as R);
      return options.onSettled?.(data, error, vars);
    },
  });
  return { ...m, fieldErrors: fieldErrors(m.error), conflict: isApiError(m.error, 'VERSION_CONFLICT') };
}

/** A function that refreshes cached reads under `key` (e.g. "reload" after someone else's change). */
export function useRefresh(key: QueryKey): () => Promise<void> {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: key });
}

/** Reads a record again past the cache (after a version conflict); the answer replaces the cached copy. */
export function useReload<T>(key: QueryKey, path: string, options: WriteOptions<void, T> = {}) {
  const qc = useQueryClient();
  return useMutation<T, Error, void>({
    mutationFn: () => qc.fetchQuery({ queryKey: key, queryFn: () => api<T>('GET', path), staleTime: 0 }),
    onSuccess: (data) => options.onSuccess?.(data),
    onError: (error) => options.onError?.(error),
    onSettled: (data, error) => options.onSettled?.(data, error),
  });
}
