/** Active sessions of the user, with "log out everywhere". */
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { api } from '../api/client';
import { useLogout } from '../api/queries';
import type { SessionInfo } from '../api/types';
import { DateTime } from '../components/date-time';
import { PageHeader } from '../components/page';
import { EmptyState, ErrorAlert, Loading } from '../components/states';
import { useT } from '../i18n/use-t';

/** The /profile/sessions page. */
export function SessionsPage() {
  const t = useT();
  const navigate = useNavigate();
  const logout = useLogout();
  const sessions = useQuery({
    queryKey: ['sessions'],
    queryFn: ({ signal }) => api<{ items: SessionInfo[] }>('GET', '/api/v1/me/sessions', { signal }),
  });
  const items = sessions.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('sessions.title')}
        lead={sessions.data ? t('sessions.count', { count: items.length }) : undefined}
        actions={
          <button
            type="button"
            className="btn btn-danger"
            disabled={logout.isPending}
            onClick={() => logout.mutate(true, { onSettled: () => navigate('/login', { replace: true }) })}
          >
            {t('menu.logoutAll')}
          </button>
        }
      />
      {logout.isError ? <ErrorAlert error={logout.error} /> : null}
      {sessions.isPending ? (
        <Loading />
      ) : sessions.isError ? (
        <ErrorAlert error={sessions.error} onRetry={() => void sessions.refetch()} />
      ) : items.length === 0 ? (
        <EmptyState title={t('sessions.empty')} />
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('sessions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sessions.col.device')}</th>
                <th scope="col">{t('sessions.col.started')}</th>
                <th scope="col">{t('sessions.col.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((s) => (
                <tr key={s.id}>
                  <td>
                    <bdi className="ua">{s.userAgent || t('sessions.unknownDevice')}</bdi>
                    {s.current ? <span className="chip chip-ok">{t('sessions.current')}</span> : null}
                  </td>
                  <td>
                    <DateTime value={s.createdAt} />
                  </td>
                  <td>
                    <DateTime value={s.lastSeenAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p className="hint">{t('sessions.hint')}</p>
    </>
  );
}
