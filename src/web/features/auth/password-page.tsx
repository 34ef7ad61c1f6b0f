/** Change password: current + new (≥ 12 characters, not a common password). */
import { useState } from 'react';
import { isApiError } from '../../api/client';
import { Field } from '../../components/field';
import { PageHeader } from '../../components/page';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useChangePassword } from './api';
import { NewPasswordFields } from './new-password-fields';
import { pwMessage } from './password-message';

/** The /profile/password page. */
export function PasswordPage() {
  const t = useT();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [confirm, setConfirm] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const change = useChangePassword({
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setConfirm('');
    },
  });
  const err = change.error;
  const code = isApiError(err) ? err.code : undefined;
  const errs = change.fieldErrors;
  const currentErr =
    code === 'PASSWORD_WRONG' ? pwMessage(t, code) : errs.currentPassword ? t('field.invalid') : undefined;
  const newCode = code === 'PASSWORD_TOO_SHORT' || code === 'PASSWORD_COMMON' ? code : errs.newPassword;
  return (
    <>
      <PageHeader title={t('password.title')} />
      <section className="card">
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            if (next !== confirm) {
              setMismatch(true);
              return;
            }
            setMismatch(false);
            change.mutate({ currentPassword: current, newPassword: next });
          }}
        >
          {change.isSuccess ? (
            <p className="alert alert-success" role="status">
              {t('password.changed')}
            </p>
          ) : null}
          {change.isError ? (
            <ErrorAlert error={change.error} highlighted={Boolean(errs.currentPassword || errs.newPassword)} />
          ) : null}
          <Field
            label={t('password.current')}
            type="password"
            autoComplete="current-password"
            required
            value={current}
            error={currentErr}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <NewPasswordFields
            value={next}
            confirm={confirm}
            code={newCode}
            mismatch={mismatch}
            onChange={setNext}
            onConfirm={setConfirm}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={change.isPending}>
              {t('password.submit')}
            </button>
          </div>
        </form>
      </section>
    </>
  );
}
