/** The user's login sessions (signed-in browsers), with "log out everywhere". */
import { useNavigate } from 'react-router';
import { useLogout } from '../../api/queries';
import { DateTime } from '../../components/date-time';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, ReadState } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useLoginSessions } from './api';

/** The /profile/sessions page (login sessions). */
export function LoginSessionsPage() {
  const t = useT();
  const navigate = useNavigate();
  const logout = useLogout();
  const sessions = useLoginSessions();
  const items = sessions.data?.items ?? [];
  return (
    <>
      <PageHeader
        title={t('loginSessions.title')}
        lead={sessions.data ? t('loginSessions.count', { count: items.length }) : undefined}
        actions={
          <button
            type="button"
            className="btn btn-danger"
            disabled={logout.isPending}
            onClick={() => logout.mutate(true, { onSettled: () => void navigate('/login', { replace: true }) })}
          >
            {t('menu.logoutAll')}
          </button>
        }
      />
      {logout.isError ? <ErrorAlert error={logout.error} /> : null}
      <ReadState read={sessions} empty={() => items.length === 0 && <EmptyState title={t('loginSessions.empty')} />}>
        {() => (
          <div className="table-wrap">
            <table className="table">
              <caption className="visually-hidden">{t('loginSessions.title')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('loginSessions.col.device')}</th>
                  <th scope="col">{t('loginSessions.col.started')}</th>
                  <th scope="col">{t('loginSessions.col.lastSeen')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id}>
                    <td>
                      <bdi className="ua">{s.userAgent || t('loginSessions.unknownDevice')}</bdi>
                      {s.current ? <span className="chip chip-ok">{t('loginSessions.current')}</span> : null}
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
      </ReadState>
      <p className="hint">{t('loginSessions.hint')}</p>
    </>
  );
}
