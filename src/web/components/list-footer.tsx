/** The footer under a keyset list: count shown and a "load more" button. */
import { useT } from '../i18n/use-t';
import { ErrorAlert } from './states';

interface Props {
  count: number;
  hasMore: boolean;
  loading: boolean;
  error: unknown;
  onMore: () => void;
}

/** Count of loaded rows, "load more" while there is a next cursor, and a page-fetch error. */
export function ListFooter({ count, hasMore, loading, error, onMore }: Props) {
  const t = useT();
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
