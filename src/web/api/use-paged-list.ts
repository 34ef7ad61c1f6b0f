/** Keyset-paginated lists ({ items, nextCursor }) with a "load more" action. */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, withQuery } from './client';
import type { Page } from './types';

/** Fetches pages of `path` with `params` plus limit/cursor; items are flattened in order. */
export function usePagedList<T>(
  key: readonly unknown[],
  path: string,
  params: Record<string, string | undefined>,
  limit = 50,
) {
  const query = useInfiniteQuery({
    queryKey: [...key, params],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api<Page<T>>('GET', withQuery(path, { ...params, limit, cursor: pageParam ?? undefined }), { signal }),
    getNextPageParam: (last) => last.nextCursor ?? null,
  });
  const items = query.data?.pages.flatMap((p) => p.items) ?? [];
  return { ...query, items };
}
