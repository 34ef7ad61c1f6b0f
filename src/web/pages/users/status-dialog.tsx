/** Confirming disable/enable of a user account (If-Match; 409 → reload and confirm again). */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../api/client';
import type { UserRow } from '../../api/types';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useFreshUser } from './use-fresh-user';

/** The confirmation dialog for disabling or enabling `user` (null = closed). */
export function StatusDialog({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const [base, setBase] = useState<UserRow | null>(user);
  const fresh = useFreshUser();
  useEffect(() => setBase(user), [user]);
  const disabling = base?.status !== 'disabled';
  const act = useMutation({
    mutationFn: (b: UserRow) =>
      api<UserRow>('POST', `/api/v1/users/${b.id}/${b.status === 'disabled' ? 'enable' : 'disable'}`, {
        version: b.version,
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
  });
  const conflict = isApiError(act.error, 'VERSION_CONFLICT');
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
