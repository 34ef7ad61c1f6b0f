/** Cases: the participants the user's case teams may see (pseudonymous codes only). */
import { usePagedList } from '../api/use-paged-list';
import type { ParticipantRow } from '../api/types';
import { DateTime } from '../components/date-time';
import { ListFooter } from '../components/list-footer';
import { PageHeader } from '../components/page';
import { EmptyState, ErrorAlert, Loading } from '../components/states';
import { useT } from '../i18n/use-t';

/** The caseload list (placeholder until the case-work feature lands). */
export function CasesPage() {
  const t = useT();
  const list = usePagedList<ParticipantRow>(['participants'], '/api/v1/participants', {});
  return (
    <>
      <PageHeader title={t('cases.title')} lead={t('cases.lead')} />
      {list.isPending ? (
        <Loading />
      ) : list.isError && list.items.length === 0 ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : list.items.length === 0 ? (
        <EmptyState title={t('cases.empty.title')}>
          <p>{t('cases.empty.body')}</p>
        </EmptyState>
      ) : (
        <>
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('cases.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('cases.col.code')}</th>
                  <th scope="col">{t('cases.col.created')}</th>
                  <th scope="col">{t('cases.col.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {list.items.map((p) => (
                  <tr key={p.id}>
                    <td>
                      <bdi className="code">{p.code}</bdi>
                    </td>
                    <td>
                      <DateTime value={p.createdAt} mode="date" />
                    </td>
                    <td>
                      <DateTime value={p.updatedAt} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <ListFooter
            count={list.items.length}
            hasMore={list.hasNextPage}
            loading={list.isFetchingNextPage}
            error={list.isFetchNextPageError ? list.error : null}
            onMore={() => void list.fetchNextPage()}
          />
        </>
      )}
    </>
  );
}
