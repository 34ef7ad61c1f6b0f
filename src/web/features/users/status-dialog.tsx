/** Confirming disable/enable of a user account (If-Match; 409 → reload and confirm again). */
import { useEffect, useState } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useReloadUser, useToggleUserStatus, type UserRow } from './api';

/** The confirmation dialog for disabling or enabling `user` (null = closed). */
export function StatusDialog({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState<UserRow | null>(user);
  const fresh = useReloadUser();
  useEffect(() => setBase(user), [user]);
  const disabling = base?.status !== 'disabled';
  const act = useToggleUserStatus({ onSuccess: onClose });
  const conflict = act.conflict;
  const title = disabling ? t('users.disable.title') : t('users.enable.title');
  return (
    <Dialog open={user !== null} title={title} onClose={onClose}>
      {base ? (
        <div className="stack">
          <p>
            {disabling
              ? t('users.disable.body', { name: base.displayName })
              : t('users.enable.body', { name: base.displayName })}
          </p>
          {conflict ? (
            <ConflictNotice
              reloading={fresh.isPending}
              reloadError={fresh.error}
              onReload={() =>
                fresh.mutate(base, {
                  onSuccess: (u) => {
                    setBase(u);
                    act.reset();
                  },
                })
              }
            />
          ) : act.isError ? (
            <ErrorAlert error={act.error} />
          ) : null}
          <div className="form-actions">
            <button
              type="button"
              className={disabling ? 'btn btn-danger' : 'btn btn-primary'}
              disabled={act.isPending || conflict}
              onClick={() => act.mutate(base)}
            >
              {disabling ? t('users.disable') : t('users.enable')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              {t('action.cancel')}
            </button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
