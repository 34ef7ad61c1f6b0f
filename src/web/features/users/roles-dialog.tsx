/** Editing a user's roles with If-Match; on 409 the selection is kept and can be re-applied. */
import { useEffect, useState } from 'react';
import { isRole, type Role } from '../../../core/roles';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { RoleList } from '../../components/role-list';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useReloadUser, useSetRoles, type UserRow } from './api';
import { RolePicker } from './role-picker';

/** The "edit roles" dialog for one user (null = closed). */
export function RolesDialog({ user, onClose }: { user: UserRow | null; onClose: () => void }) {
  const t = useT();
  const [base, setBase] = useState<UserRow | null>(user);
  const [roles, setRoles] = useState<Role[]>((user?.roles ?? []).filter(isRole));
  const [noRole, setNoRole] = useState(false);
  const fresh = useReloadUser();

  useEffect(() => {
    setBase(user);
    setRoles((user?.roles ?? []).filter(isRole));
    setNoRole(false);
  }, [user]);

  const save = useSetRoles({ onSuccess: onClose });
  const conflict = save.conflict;
  const reloaded =
    fresh.data && base && fresh.data.version === base.version && fresh.data.id === base.id ? fresh.data : null;

  return (
    <Dialog
      open={user !== null}
      title={t('users.editRoles.title', { name: user?.displayName ?? '' })}
      onClose={onClose}
    >
      {base ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (roles.length === 0) {
              setNoRole(true);
              return;
            }
            setNoRole(false);
            save.mutate({ user: base, roles });
          }}
        >
          <p>
            <bdi>{base.displayName}</bdi> · <bdi className="muted">{base.email}</bdi>
          </p>
          {conflict && !reloaded ? (
            <ConflictNotice
              reloading={fresh.isPending}
              reloadError={fresh.error}
              onReload={() =>
                fresh.mutate(base, {
                  onSuccess: (u) => {
                    setBase(u);
                    save.reset();
                  },
                })
              }
            />
          ) : save.isError ? (
            <ErrorAlert error={save.error} />
          ) : null}
          {reloaded ? (
            <div className="alert alert-info" role="status">
              <p>{t('conflict.reapply')}</p>
              <dl className="kv">
                <dt>{t('conflict.current')}</dt>
                <dd>
                  <RoleList roles={reloaded.roles} />
                </dd>
                <dt>{t('conflict.yours')}</dt>
                <dd>
                  <RoleList roles={roles} />
                </dd>
              </dl>
            </div>
          ) : null}
          <RolePicker
            name="edit-roles"
            value={roles}
            onChange={setRoles}
            error={noRole ? t('users.roles.required') : undefined}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={save.isPending || conflict}>
              {t('action.save')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      ) : null}
    </Dialog>
  );
}
