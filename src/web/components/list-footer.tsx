/** The footer under a keyset list: count shown and a "load more" button. */
import { useT } from '../i18n/use-t';
import { ErrorAlert } from './states';

/** What the footer needs of a list from `usePagedList`. */
interface PagedList {
  items: readonly unknown[];
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  isFetchNextPageError: boolean;
  error: unknown;
  fetchNextPage: () => unknown;
}

/** Count of loaded rows, "load more" while there is a next cursor, and a page-fetch error. */
export function ListFooter({ list }: { list: PagedList }) {
  const t = useT();
  const count = list.items.length;
  const hasMore = list.hasNextPage;
  const loading = list.isFetchingNextPage;
  const error = list.isFetchNextPageError ? list.error : null;
  const onMore = () => void list.fetchNextPage();
  return (
    <div className="list-footer">
      <p className="muted" role="status" aria-live="polite">
        {t('list.shown', { count })}
      </p>
      {error ? <ErrorAlert error={error} onRetry={onMore} /> : null}
      {hasMore ? (
        <button type="button" className="btn" onClick={onMore} disabled={loading}>
          {loading ? t('state.loading') : t('list.loadMore')}
        </button>
      ) : count > 0 ? (
        <p className="muted">{t('list.end')}</p>
      ) : null}
    </div>
  );
}
