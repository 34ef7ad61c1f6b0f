/** Sign in: email + password, then the TOTP step, or TOTP enrolment when the server requires it. */
import { useEffect, useState } from 'react';
import { safeNextPath } from '../academy/next-path';
import { Navigate, useLocation } from 'react-router';
import { useCan } from '../../api/abilities';
import { useLogout, useMe } from '../../api/queries';
import { Field } from '../../components/field';
import { usePageTitle } from '../../components/page';
import { ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { homePath } from '../../layout/nav';
import { PublicLayout } from '../../layout/public-layout';
import type { LoginState } from '../../layout/session-watch';
import { useLogin, useVerifyMfa } from './api';
import { CodeField, MfaEnrol } from './mfa-enrol';

type Step = 'password' | 'totp' | 'enrol';

/**
 * Goes to a path after sign-in with a full page load: `next` may be a server-rendered page (the
 * lesson reader) that the web app's router does not know.
 */
function LeaveFor({ path }: { path: string }) {
  useEffect(() => {
    window.location.replace(path);
  }, [path]);
  return <Loading />;
}

/** The login page (public). */
export function LoginPage() {
  const t = useT();
  const me = useMe();
  const can = useCan();
  const location = useLocation();
  const state = (location.state ?? {}) as LoginState;
  const [step, setStep] = useState<Step>('password');
  const [email, setEmail] = useState(state.email ?? '');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const fieldMsg = useFieldMessage();
  const logout = useLogout();

  // A half-finished session (password ok, MFA pending) resumes at the right step.
  useEffect(() => {
    const m = me.data;
    if (m && !m.session.mfaPassed) setStep(m.user.mfaEnabled ? 'totp' : 'enrol');
  }, [me.data]);

  // A finished sign-in reloads /me; the page then leaves for the user's home.
  const login = useLogin({
    onSuccess: (r) => {
      setPassword('');
      if (r.status !== 'ok') setStep(r.status === 'mfa_required' ? 'totp' : 'enrol');
    },
  });
  const mfa = useVerifyMfa({ onError: () => setCode('') });

  const title =
    step === 'password' ? t('login.title') : step === 'totp' ? t('login.totp.title') : t('login.enrol.title');
  usePageTitle(title);

  if (me.data?.session.mfaPassed) {
    // `?next=` (e.g. a lesson link opened while signed out) wins, but only a same-origin path.
    const next = safeNextPath(new URLSearchParams(location.search).get('next'));
    if (next) return <LeaveFor path={next} />;
    const target = state.from && state.from !== '/login' ? state.from : homePath(can);
    return <Navigate to={target} replace />;
  }
  if (me.isPending) return <Loading />;

  const restart = () => {
    logout.mutate(false, {
      onSettled: () => {
        setStep('password');
        setCode('');
        login.reset();
        mfa.reset();
      },
    });
  };

  const errs = login.fieldErrors;
  return (
    <PublicLayout>
      <h1 id="page-title" tabIndex={-1}>
        {title}
      </h1>
      {state.expired && step === 'password' ? (
        <p className="alert alert-info" role="status">
          {t('login.expired')}
        </p>
      ) : null}
      {state.accepted && step === 'password' ? (
        <p className="alert alert-success" role="status">
          {t('invite.accepted')}
        </p>
      ) : null}

      {step === 'password' ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            login.mutate({ email, password });
          }}
        >
          {login.isError ? <ErrorAlert error={login.error} highlighted={Boolean(errs.email || errs.password)} /> : null}
          <Field
            label={t('login.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            dir="ltr"
            value={email}
            error={fieldMsg(errs.email)}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label={t('login.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            error={fieldMsg(errs.password)}
            onChange={(e) => setPassword(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={login.isPending}>
              {login.isPending ? t('login.signingIn') : t('login.submit')}
            </button>
          </div>
        </form>
      ) : null}

      {step === 'totp' ? (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            mfa.mutate(code);
          }}
        >
          <p>{t('login.totp.lead')}</p>
          {mfa.isError ? <ErrorAlert error={mfa.error} /> : null}
          <CodeField label={t('login.totp.code')} value={code} onChange={setCode} />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={mfa.isPending}>
              {t('login.totp.submit')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={restart}>
              {t('login.otherAccount')}
            </button>
          </div>
        </form>
      ) : null}

      {step === 'enrol' ? (
        <div className="stack">
          <p>{t('login.enrol.lead')}</p>
          <MfaEnrol />
          <div className="form-actions">
            <button type="button" className="btn btn-quiet" onClick={restart}>
              {t('login.otherAccount')}
            </button>
          </div>
        </div>
      ) : null}
    </PublicLayout>
  );
}
