/** Accepting an invitation (public): choose a display name and a password, then sign in. */
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { isApiError } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { Field } from '../../components/field';
import { usePageTitle } from '../../components/page';
import { ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { PublicLayout } from '../../layout/public-layout';
import type { LoginState } from '../../layout/session-watch';
import { useAcceptInvitation, useInvitation } from './api';
import { NewPasswordFields } from './new-password-fields';

/** The /invite/:token page. */
export function InvitePage() {
  const t = useT();
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const fieldMsg = useFieldMessage();
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  usePageTitle(t('invite.title'));

  const invitation = useInvitation(token);
  const accept = useAcceptInvitation(token, {
    onSuccess: () => {
      const state: LoginState = { accepted: true, email: invitation.data?.email };
      void navigate('/login', { replace: true, state });
    },
  });

  const errs = accept.fieldErrors;
  const pwCode =
    isApiError(accept.error) && accept.error.code.startsWith('PASSWORD_') ? accept.error.code : errs.password;
  return (
    <PublicLayout>
      <h1 id="page-title" tabIndex={-1}>
        {t('invite.title')}
      </h1>
      {invitation.isPending ? <Loading /> : null}
      {invitation.isError ? (
        isApiError(invitation.error, 'NOT_FOUND') || isApiError(invitation.error, 'INVITATION_INVALID') ? (
          <div className="alert alert-error" role="alert">
            <p>{t('invite.invalid')}</p>
            <p>
              <Link to="/login">{t('invite.toLogin')}</Link>
            </p>
          </div>
        ) : (
          <ErrorAlert error={invitation.error} onRetry={() => void invitation.refetch()} />
        )
      ) : null}
      {invitation.data ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (password !== confirm) {
              setMismatch(true);
              return;
            }
            setMismatch(false);
            accept.mutate({ displayName, password });
          }}
        >
          <p>{t('invite.lead', { tenant: invitation.data.tenantName })}</p>
          <dl className="kv">
            <dt>{t('invite.email')}</dt>
            <dd>
              <bdi>{invitation.data.email}</bdi>
            </dd>
            <dt>{t('invite.expires')}</dt>
            <dd>
              <DateTime value={invitation.data.expiresAt} />
            </dd>
          </dl>
          {accept.isError && !pwCode ? <ErrorAlert error={accept.error} /> : null}
          <Field
            label={t('invite.displayName')}
            name="displayName"
            autoComplete="name"
            dir="auto"
            required
            maxLength={120}
            value={displayName}
            error={fieldMsg(errs.displayName)}
            onChange={(e) => setDisplayName(e.target.value)}
          />
          <NewPasswordFields
            value={password}
            confirm={confirm}
            code={pwCode}
            mismatch={mismatch}
            onChange={setPassword}
            onConfirm={setConfirm}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={accept.isPending}>
              {t('invite.submit')}
            </button>
          </div>
        </form>
      ) : null}
    </PublicLayout>
  );
}
