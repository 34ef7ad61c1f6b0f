/** "Reveal identity": pick a purpose and give a reason; the identity shows with a visible countdown, then hides. */
import { useEffect, useState } from 'react';
import { useIntl } from 'react-intl';
import { useInvalidFocus } from '../../components/form-focus';
import { Dialog } from '../../components/dialog';
import { SelectField, TextAreaField } from '../../components/field';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import type { Identity } from '../../../core/participant';
import { useRevealIdentity } from './api';
import { REVEAL_PURPOSES } from './vocabulary';

type RevealPurpose = (typeof REVEAL_PURPOSES)[number];

/** The revealed identity, field by field (what was recorded). */
function IdentityList({ identity }: { identity: Identity }) {
  const t = useT();
  return (
    <dl className="kv">
      <dt>{t('identity.givenName')}</dt>
      <dd>
        <bdi>{identity.givenName}</bdi>
      </dd>
      <dt>{t('identity.familyName')}</dt>
      <dd>
        <bdi>{identity.familyName}</bdi>
      </dd>
      {identity.otherNames ? (
        <>
          <dt>{t('identity.otherNames')}</dt>
          <dd>
            <bdi>{identity.otherNames}</bdi>
          </dd>
        </>
      ) : null}
      {identity.dateOfBirth ? (
        <>
          <dt>{t('identity.dateOfBirth')}</dt>
          <dd>
            <bdi dir="ltr">{identity.dateOfBirth}</bdi>
          </dd>
        </>
      ) : null}
      {identity.sex ? (
        <>
          <dt>{t('identity.sex')}</dt>
          <dd>{t(`sex.${identity.sex}`)}</dd>
        </>
      ) : null}
      {identity.nationalId ? (
        <>
          <dt>{t('identity.nationalId')}</dt>
          <dd>
            <bdi dir="ltr">{identity.nationalId}</bdi>
          </dd>
        </>
      ) : null}
      {identity.nationality ? (
        <>
          <dt>{t('identity.nationality')}</dt>
          <dd>
            <bdi>{identity.nationality}</bdi>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

/** The reveal dialog for one participant. */
export function RevealDialog({
  participantId,
  code,
  open,
  onClose,
}: {
  participantId: string;
  code: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const intl = useIntl();
  const fm = useFieldMessage();
  const [purpose, setPurpose] = useState<RevealPurpose | ''>('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [left, setLeft] = useState(0);
  const reveal = useRevealIdentity(participantId, { onSuccess: (r) => setLeft(r.hideAfterSeconds) });
  const shown = reveal.data && left > 0 ? reveal.data : null;

  useEffect(() => {
    if (left <= 0) return;
    const h = window.setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => window.clearTimeout(h);
  }, [left]);
  useEffect(() => {
    if (!open) {
      reveal.reset();
      setLeft(0);
      setPurpose('');
      setReason('');
      setMissing({});
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [open]);

  const server = reveal.fieldErrors;
  const focus = useInvalidFocus(reveal.error);
  const mmss = `${Math.floor(left / 60)}:${String(left % 60).padStart(2, '0')}`;
  return (
    <Dialog open={open} title={t('reveal.title', { code })} onClose={onClose}>
      {shown ? (
        <div className="stack">
          <p className="reveal-timer" role="timer" aria-live="off">
            {t('reveal.hidesIn', {
              time:
                intl.formatNumber(Math.floor(left / 60)) +
                ':' +
                intl.formatNumber(left % 60, { minimumIntegerDigits: 2 }),
            })}
            <span className="visually-hidden"> ({mmss})</span>
          </p>
          <progress max={reveal.data!.hideAfterSeconds} value={left} aria-label={t('reveal.remaining')} />
          <h3>{t('reveal.identity')}</h3>
          {shown.identity ? <IdentityList identity={shown.identity} /> : <p className="muted">—</p>}
          <h3>{t('reveal.family')}</h3>
          {shown.familyContacts.length === 0 ? (
            <p className="muted">{t('intake.family.none')}</p>
          ) : (
            <ul className="link-list">
              {shown.familyContacts.map((c, i) => (
                <li key={i}>
                  <bdi className="strong">{c.name}</bdi> · <bdi>{c.relationship}</bdi>
                  {c.phone ? (
                    <>
                      {' '}
                      · <bdi dir="ltr">{c.phone}</bdi>
                    </>
                  ) : null}
                  {c.address ? (
                    <>
                      <br />
                      <bdi>{c.address}</bdi>
                    </>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          <div className="form-actions">
            <button type="button" className="btn" onClick={() => setLeft(0)}>
              {t('reveal.hideNow')}
            </button>
          </div>
        </div>
      ) : (
        <form
          ref={focus.ref}
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            const m: Record<string, string> = {};
            if (!purpose) m.purpose = 'required';
            if (reason.trim().length < 3) m.reason = reason.trim() ? 'too_small' : 'required';
            setMissing(m);
            if (Object.keys(m).length > 0) focus.refused();
            else if (purpose) reveal.mutate({ purpose, reason: reason.trim() });
          }}
          noValidate
        >
          {reveal.data ? (
            <div className="alert alert-info" role="status">
              <p>{t('reveal.hidden')}</p>
            </div>
          ) : null}
          <p>{t('reveal.lead')}</p>
          {reveal.isError ? <ErrorAlert error={reveal.error} /> : null}
          <SelectField
            label={t('reveal.purpose')}
            value={purpose}
            error={fm(missing.purpose ?? server.purpose)}
            onChange={(e) => setPurpose(REVEAL_PURPOSES.find((p) => p === e.target.value) ?? '')}
          >
            <option value="">{t('intake.choose')}</option>
            {REVEAL_PURPOSES.map((p) => (
              <option key={p} value={p}>
                {t(`reveal.purpose.${p}`)}
              </option>
            ))}
          </SelectField>
          <TextAreaField
            label={t('reveal.reason')}
            hint={t('reveal.reason.hint')}
            maxLength={500}
            value={reason}
            error={fm(missing.reason ?? server.reason)}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={reveal.isPending}>
              {t('reveal.submit')}
            </button>
            <button type="button" className="btn btn-quiet" onClick={onClose}>
              {t('action.cancel')}
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}
