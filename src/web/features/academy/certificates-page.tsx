/** My certificates: status, code, dates, PDF, public verification page, the signed Open Badge and the transcript of the course. */
import '../../styles/academy.css';
import { Link } from 'react-router';
import { saveTextAs } from '../../components/download';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, ReadState } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { academyLinks, useCertificates, useCredential, useMyLearning } from './api';
import { DayDate } from './bits';
import type { Certificate, CertificateStatus } from './types';

/** A certificate status as icon and words. */
export function CertificateBadge({ status }: { status: CertificateStatus }) {
  const t = useT();
  return (
    <span className={`chip chip-icon chip-cert-${status}`}>
      <Icon name={status === 'valid' ? 'check' : status === 'expired' ? 'pending' : 'cross'} />
      {t(`academy.cert.status.${status}`)}
    </span>
  );
}

function CertificateCard({ c, enrolmentId }: { c: Certificate; enrolmentId: string | undefined }) {
  const t = useT();
  const text = useLabel();
  const badge = useCredential(c.id, {
    onSuccess: (cred) =>
      saveTextAs(`sanad-certificate-${c.code}.json`, `${JSON.stringify({ ...cred }, null, 2)}\n`, 'application/json'),
  });
  const headId = `cert-${c.id}`;
  return (
    <li>
      <section className={`card cert cert-${c.status}`} aria-labelledby={headId}>
        <div className="module-head">
          <h2 id={headId}>{text(c.title)}</h2>
          <CertificateBadge status={c.status} />
        </div>
        <dl className="kv">
          <dt>{t('academy.cert.holder')}</dt>
          <dd>
            <bdi>{c.holderName}</bdi>
          </dd>
          <dt>{t('academy.cert.code')}</dt>
          <dd>
            <bdi className="code">{c.code}</bdi>
          </dd>
          <dt>{t('academy.cert.issued')}</dt>
          <dd>
            <DayDate value={c.issuedAt} />
          </dd>
          <dt>{c.status === 'expired' ? t('academy.cert.expired') : t('academy.cert.expires')}</dt>
          <dd>
            <DayDate value={c.expiresAt} />
          </dd>
        </dl>
        {c.status === 'revoked' ? <p className="alert alert-warning">{t('academy.cert.revokedNote')}</p> : null}
        <div className="form-actions">
          <a className="btn btn-primary" href={academyLinks.certificatePdf(c.id)} download>
            <Icon name="download" />
            {t('academy.cert.pdf')}
            <span className="visually-hidden"> {c.code}</span>
          </a>
          <a className="btn" href={academyLinks.verify(c.code)} target="_blank" rel="noopener">
            <Icon name="shield" />
            {t('academy.cert.verify')}
            <span className="visually-hidden">
              {' '}
              {c.code} ({t('academy.newTab')})
            </span>
          </a>
          <button type="button" className="btn" disabled={badge.isPending} onClick={() => badge.mutate()}>
            <Icon name="award" />
            {badge.isPending ? t('state.loading') : t('academy.cert.badge')}
            <span className="visually-hidden"> {c.code}</span>
          </button>
          {enrolmentId ? (
            <a className="btn" href={academyLinks.transcriptPdf(enrolmentId)} download>
              <Icon name="download" />
              {t('academy.transcript.download')}
              <span className="visually-hidden"> {c.code}</span>
            </a>
          ) : null}
        </div>
        <p className="hint">{t('academy.cert.badgeHint')}</p>
        {badge.isError ? <ErrorAlert error={badge.error} /> : null}
      </section>
    </li>
  );
}

/** The /learning/certificates page. */
export function CertificatesPage() {
  const t = useT();
  const list = useCertificates();
  // The certificate list does not name the enrolment; my enrolments do (certificate id → enrolment id, for the transcript).
  const mine = useMyLearning();
  const enrolmentOf = (certificateId: string) => mine.data?.items.find((e) => e.certificate?.id === certificateId)?.id;
  return (
    <>
      <PageHeader title={t('nav.certificates')} lead={t('academy.cert.lead')} />
      <ReadState
        read={list}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState
              title={t('academy.cert.empty')}
              actions={
                <Link className="btn" to="/learning">
                  {t('academy.back.learning')}
                </Link>
              }
            >
              <p>{t('academy.cert.emptyBody')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <ul className="plain-list">
            {data.items.map((c) => (
              <CertificateCard key={c.id} c={c} enrolmentId={enrolmentOf(c.id)} />
            ))}
          </ul>
        )}
      </ReadState>
    </>
  );
}
