/** Confirming an unlock of a user's sign-in after too many wrong passwords or codes (audited on the server). */
import { useEffect } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useUnlockUser, type UserRow } from './api';

/** The unlock dialog for `user` (null = closed); after the unlock it says whether the account was locked. */
export function UnlockDialog({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useT();
  const act = useUnlockUser();
  useEffect(() => act.reset(), [user?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <Dialog open={user !== null} title={t('users.unlock.title')} onClose={onClose}>
      {user ? (
        <div className="stack">
          {act.data ? (
            <p className="alert alert-success" role="status">
              {act.data.wasLocked
                ? t('users.unlock.done', { name: user.displayName, failures: act.data.failures })
                : t('users.unlock.notLocked', { name: user.displayName })}
            </p>
          ) : (
            <p>{t('users.unlock.body', { name: user.displayName })}</p>
          )}
          {act.isError ? <ErrorAlert error={act.error} /> : null}
          <div className="form-actions">
            {act.data ? (
              <button type="button" className="btn btn-primary" onClick={onClose}>
                {t('action.close')}
              </button>
            ) : (
              <>
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={act.isPending}
                  onClick={() => act.mutate(user)}
                >
                  {t('users.unlock')}
                </button>
                <button type="button" className="btn btn-quiet" onClick={onClose}>
                  {t('action.cancel')}
                </button>
              </>
            )}
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
