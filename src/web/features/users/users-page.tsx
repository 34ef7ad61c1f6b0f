/** Administration → Users: search, status filter, invite, edit roles, certifications, unlock sign-in, disable/enable. */
import '../../styles/stack.css';
import { useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router';
import { DateTime } from '../../components/date-time';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page';
import { RoleList } from '../../components/role-list';
import { EmptyState, ReadState } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { CertificationsDialog } from '../instruments/certifications-dialog';
import { useUsers, type UserRow, type UserStatus } from './api';
import { InviteDialog } from './invite-dialog';
import { RolesDialog } from './roles-dialog';
import { StatusDialog } from './status-dialog';
import { UnlockDialog } from './unlock-dialog';

const STATUSES = ['active', 'invited', 'disabled'] as const satisfies readonly UserStatus[];

/** The /admin/users page. */
export function UsersPage() {
  const t = useT();
  const qId = useId();
  const statusId = useId();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const status = params.get('status') ?? '';
  const [draft, setDraft] = useState(q);
  const [inviting, setInviting] = useState(false);
  const [editing, setEditing] = useState<UserRow | null>(null);
  const [toggling, setToggling] = useState<UserRow | null>(null);
  const [certifying, setCertifying] = useState<UserRow | null>(null);
  const [unlocking, setUnlocking] = useState<UserRow | null>(null);
  useEffect(() => setDraft(q), [q]);

  const list = useUsers({ q: q || undefined, status: status || undefined });
  const setFilter = (next: { q?: string; status?: string }) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  const filtered = Boolean(q || status);

  return (
    <>
      <PageHeader
        title={t('users.title')}
        lead={t('users.lead')}
        actions={
          <button type="button" className="btn btn-primary" onClick={() => setInviting(true)}>
            {t('users.invite')}
          </button>
        }
      />
      <form
        className="filter-bar"
        role="search"
        aria-label={t('users.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ q: draft.trim() });
        }}
      >
        <div className="field">
          <label htmlFor={qId}>{t('users.search')}</label>
          <input id={qId} type="search" dir="auto" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={statusId}>{t('users.status')}</label>
          <select id={statusId} value={status} onChange={(e) => setFilter({ status: e.target.value })}>
            <option value="">{t('users.status.all')}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`users.status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="btn">
            {t('action.search')}
          </button>
          {filtered ? (
            <button type="button" className="btn btn-quiet" onClick={() => setFilter({ q: '', status: '' })}>
              {t('action.clearFilters')}
            </button>
          ) : null}
        </div>
      </form>

      <ReadState
        read={list}
        empty={() =>
          list.items.length === 0 &&
          (filtered ? (
            <EmptyState
              title={t('list.noResults')}
              actions={
                <button type="button" className="btn" onClick={() => setFilter({ q: '', status: '' })}>
                  {t('action.clearFilters')}
                </button>
              }
            >
              <p>{t('users.noResults')}</p>
            </EmptyState>
          ) : (
            <EmptyState title={t('users.empty')}>
              <p>{t('users.emptyBody')}</p>
            </EmptyState>
          ))
        }
      >
        {() => (
          <>
            <div className="table-wrap">
              <table className="table table-stack">
                <caption className="visually-hidden">{t('users.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('users.col.name')}</th>
                    <th scope="col">{t('users.col.roles')}</th>
                    <th scope="col">{t('users.col.status')}</th>
                    <th scope="col">{t('users.col.mfa')}</th>
                    <th scope="col">{t('users.col.lastLogin')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('users.col.actions')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((u) => (
                    <tr key={u.id}>
                      <td>
                        <bdi className="strong">{u.displayName}</bdi>
                        <br />
                        <bdi className="muted small">{u.email}</bdi>
                      </td>
                      <td data-label={t('users.col.roles')}>
                        <RoleList roles={u.roles} />
                      </td>
                      <td data-label={t('users.col.status')}>
                        <span className={`chip chip-${u.status}`}>{t(`users.status.${u.status}`)}</span>
                      </td>
                      <td data-label={t('users.col.mfa')}>{u.mfaEnabled ? t('users.mfa.on') : t('users.mfa.off')}</td>
                      <td data-label={t('users.col.lastLogin')}>
                        {u.lastLoginAt ? (
                          <DateTime value={u.lastLoginAt} />
                        ) : (
                          <span className="muted">{t('users.never')}</span>
                        )}
                      </td>
                      <td className="row-actions row-actions-wrap">
                        <button type="button" className="btn btn-small" onClick={() => setEditing(u)}>
                          {t('users.editRoles')}
                          <span className="visually-hidden">
                            {' '}
                            <bdi>{u.displayName}</bdi>
                          </span>
                        </button>
                        <button type="button" className="btn btn-small" onClick={() => setCertifying(u)}>
                          {t('instruments.cert.open')}
                          <span className="visually-hidden">
                            {' '}
                            <bdi>{u.displayName}</bdi>
                          </span>
                        </button>
                        <button type="button" className="btn btn-small btn-quiet" onClick={() => setUnlocking(u)}>
                          {t('users.unlock')}
                          <span className="visually-hidden">
                            {' '}
                            <bdi>{u.displayName}</bdi>
                          </span>
                        </button>
                        <button type="button" className="btn btn-small btn-quiet" onClick={() => setToggling(u)}>
                          {u.status === 'disabled' ? t('users.enable') : t('users.disable')}
                          <span className="visually-hidden">
                            {' '}
                            <bdi>{u.displayName}</bdi>
                          </span>
                        </button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <ListFooter list={list} />
          </>
        )}
      </ReadState>
      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
      <RolesDialog user={editing} onClose={() => setEditing(null)} />
      <StatusDialog user={toggling} onClose={() => setToggling(null)} />
      <CertificationsDialog user={certifying} onClose={() => setCertifying(null)} />
      <UnlockDialog user={unlocking} onClose={() => setUnlocking(null)} />
    </>
  );
}
