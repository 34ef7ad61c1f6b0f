/** TOTP enrolment: fetches a new secret, shows the QR (as an <img>, never injected HTML) and confirms a code. */
import { useEffect, useRef, useState } from 'react';
import { CopyButton } from '../../components/copy-button';
import { Field } from '../../components/field';
import { ErrorAlert, Loading } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useMfaEnable, useMfaSetup } from './api';

/** Groups a base32 secret in blocks of four for reading aloud or typing. */
function grouped(secret: string): string {
  return secret
    .replace(/\s+/g, '')
    .replace(/(.{4})/g, '$1 ')
    .trim();
}

/** The six-digit code input used by the TOTP step and enrolment. */
export function CodeField({
  value,
  onChange,
  error,
  label,
}: {
  value: string;
  onChange: (v: string) => void;
  error?: string;
  label: string;
}) {
  const t = useT();
  return (
    <Field
      label={label}
      hint={t('mfa.codeHint')}
      name="code"
      inputMode="numeric"
      autoComplete="one-time-code"
      pattern="[0-9]{6}"
      maxLength={6}
      minLength={6}
      required
      dir="ltr"
      className="field-code"
      value={value}
      error={error}
      onChange={(e) => onChange(e.target.value.replace(/\D/g, '').slice(0, 6))}
    />
  );
}

/** Runs the whole enrolment; calls onDone once the server accepted a code (and /me is being read again). */
export function MfaEnrol({ onDone }: { onDone?: () => void }) {
  const t = useT();
  const started = useRef(false);
  const [code, setCode] = useState('');
  const setup = useMfaSetup();
  const enable = useMfaEnable({ onSuccess: onDone });

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    setup.mutate();
  }, [setup]);

  if (setup.isPending || setup.isIdle) return <Loading label={t('mfa.preparing')} />;
  if (setup.isError) return <ErrorAlert error={setup.error} onRetry={() => setup.mutate()} />;
  const data = setup.data;
  return (
    <div className="enrol">
      <ol className="steps">
        <li>
          <p>{t('mfa.enrol.scan')}</p>
          <img
            className="qr"
            width="200"
            height="200"
            src={`data:image/svg+xml;utf8,${encodeURIComponent(data.qrSvg)}`}
            alt={t('mfa.enrol.qrAlt')}
          />
        </li>
        <li>
          <p>{t('mfa.enrol.manual')}</p>
          <p className="secret">
            <code dir="ltr">{grouped(data.secret)}</code>{' '}
            <CopyButton text={data.secret} label={t('mfa.enrol.copySecret')} />
          </p>
        </li>
        <li>
          <form
            className="stack"
            onSubmit={(e) => {
              e.preventDefault();
              enable.mutate(code);
            }}
          >
            {enable.isError ? <ErrorAlert error={enable.error} /> : null}
            <CodeField label={t('mfa.enrol.code')} value={code} onChange={setCode} />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary" disabled={enable.isPending}>
                {t('mfa.enrol.submit')}
              </button>
            </div>
          </form>
        </li>
      </ol>
    </div>
  );
}
