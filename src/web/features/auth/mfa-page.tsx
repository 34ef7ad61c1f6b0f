/** Two-factor authentication: status and (re-)enrolment of an authenticator app. */
import { useState } from 'react';
import { useMe } from '../../api/queries';
import { PageHeader } from '../../components/page';
import { useT } from '../../i18n/use-t';
import { MfaEnrol } from './mfa-enrol';

/** The /profile/mfa page. */
export function MfaPage() {
  const t = useT();
  const me = useMe();
  const [enrolling, setEnrolling] = useState(false);
  const [done, setDone] = useState(false);
  const enabled = me.data?.user.mfaEnabled ?? false;
  return (
    <>
      <PageHeader title={t('mfa.title')} lead={enabled ? t('mfa.statusOn') : t('mfa.statusOff')} />
      <section className="card">
        {done ? (
          <p className="alert alert-success" role="status">
            {t('mfa.enabled')}
          </p>
        ) : null}
        {enrolling ? (
          <MfaEnrol
            onDone={() => {
              setEnrolling(false);
              setDone(true);
            }}
          />
        ) : (
          <>
            <p>{enabled ? t('mfa.reenrolLead') : t('mfa.enrolLead')}</p>
            <div className="form-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => {
                  setDone(false);
                  setEnrolling(true);
                }}
              >
                {enabled ? t('mfa.reenrol') : t('mfa.enrol')}
              </button>
            </div>
          </>
        )}
      </section>
    </>
  );
}
