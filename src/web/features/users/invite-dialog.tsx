/** Inviting a user: email, name, roles → a one-time link shown once with a copy button. */
import { useState } from 'react';
import type { Role } from '../../../core/roles';
import { CopyButton } from '../../components/copy-button';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useInviteUser } from './api';
import { RolePicker } from './role-picker';

/** The invite dialog; the link is held only in memory and shown once. */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const fieldMsg = useFieldMessage();
  const [email, setEmail] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [roles, setRoles] = useState<Role[]>([]);
  const [noRole, setNoRole] = useState(false);
  const invite = useInviteUser();
  const close = () => {
    setEmail('');
    setDisplayName('');
    setRoles([]);
    setNoRole(false);
    invite.reset();
    onClose();
  };
  const errs = invite.fieldErrors;
  return (
    <Dialog open={open} title={t('users.invite.title')} onClose={close}>
      {invite.data ? (
        <div className="stack">
          <p className="alert alert-success" role="status">
            {t('users.invite.created', { email: invite.data.invitation.email })}
          </p>
          <p>{t('users.invite.linkOnce')}</p>
          <p className="link-box">
            <code dir="ltr">{invite.data.link}</code>
          </p>
          <p>
            <CopyButton text={invite.data.link} label={t('users.invite.copyLink')} />
          </p>
          <p className="muted">
            {t('users.invite.expires')} <DateTime value={invite.data.invitation.expiresAt} />
          </p>
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={close}>
              {t('action.done')}
            </button>
          </div>
        </div>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (roles.length === 0) {
              setNoRole(true);
              return;
            }
            setNoRole(false);
            invite.mutate({ email, displayName, roles });
          }}
        >
          {invite.isError ? <ErrorAlert error={invite.error} /> : null}
          <Field
            label={t('users.email')}
            type="email"
            required
            dir="ltr"
            autoComplete="off"
            value={email}
            error={fieldMsg(errs.email)}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label={t('users.displayName')}
            required
            dir="auto"
            maxLength={120}
            autoComplete="off"
            value={displayName}
            error={fieldMsg(errs.displayName)}
            onChange={(e) => setDisplayName(e.target.value)}
          />
          <RolePicker
            name="invite-roles"
            value={roles}
            onChange={setRoles}
            error={noRole ? t('users.roles.required') : fieldMsg(errs.roles)}
          />
          <p className="hint">{t('users.invite.hint')}</p>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
              {t('users.invite.submit')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={close}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
