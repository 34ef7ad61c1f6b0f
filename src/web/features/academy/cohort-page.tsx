/**
 * One cohort: its learners' progress (sortable), CSV export, and — for coordinators — editing the
 * cohort, inviting one learner or enrolling a CSV file, giving extra quiz attempts and revoking certificates.
 */
import '../../styles/academy.css';
import '../../styles/academy-day.css';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useCan } from '../../api/abilities';
import { useMe } from '../../api/queries';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { LOCALE_NAMES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import { academyLinks } from './api';
import { AcademyError, DayDate, useCountryName } from './bits';
import { CsvUpload } from './cohort-csv-upload';
import { CohortInviteDialog } from './cohort-invite-dialog';
import { EditCohortDialog } from './edit-cohort-dialog';
import { GrantAttemptsDialog } from './grant-attempts-dialog';
import { LearnersTable } from './learners-table';
import { RevokeCertificateDialog } from './revoke-certificate-dialog';
import { useCohort, useResendInvitation } from './staff-api';
import type { LearnerRow } from './types';

/** The /cohorts/:id page. */
export function CohortPage() {
  const t = useT();
  const country = useCountryName();
  const { id = '' } = useParams();
  const me = useMe().data;
  const can = useCan();
  const coordinator = can('cohort.manage');
  const cohort = useCohort(id);
  const [inviting, setInviting] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [editing, setEditing] = useState(false);
  const [granting, setGranting] = useState<LearnerRow | null>(null);
  const [revoking, setRevoking] = useState<LearnerRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [resent, setResent] = useState<{ name: string; link: string } | null>(null);
  const [resending, setResending] = useState<LearnerRow | null>(null);
  const resend = useResendInvitation(id, {
    onSuccess: (r) => {
      setResent({ name: resending?.name ?? '', link: r.link });
      setResending(null);
    },
  });
  const back = (
    <p className="back-link">
      <Link to="/cohorts">{t('academy.back.cohorts')}</Link>
    </p>
  );
  if (cohort.isPending)
    return (
      <>
        {back}
        <Loading />
      </>
    );
  if (cohort.isError)
    return (
      <>
        {back}
        <PageHeader title={t('nav.cohorts')} />
        <ErrorAlert error={cohort.error} onRetry={() => void cohort.refetch()} />
      </>
    );
  const c = cohort.data;
  const learners = c.learners;
  const completed = learners.filter((l) => l.complete).length;
  const overdue = learners.filter((l) => l.overdue).length;
  const pending = learners.filter((l) => l.account === 'invited').length;
  const full = learners.length >= c.capacity;
  return (
    <>
      {back}
      <PageHeader
        title={c.name}
        lead={
          <>
            {country(c.memberState)} · <bdi lang={c.language}>{LOCALE_NAMES[c.language] ?? c.language}</bdi> ·{' '}
            <DayDate value={c.startsOn} /> – <DayDate value={c.endsOn} />
          </>
        }
        actions={
          <>
            <a className="btn" href={academyLinks.progressCsv(c.id)} download>
              <Icon name="download" />
              {t('academy.cohort.export')}
            </a>
            {coordinator ? (
              <>
                <button
                  type="button"
                  className="btn"
                  onClick={() => {
                    setNotice(null);
                    setEditing(true);
                  }}
                >
                  {t('academy.cohortEdit.open')}
                </button>
                <button type="button" className="btn" disabled={full} onClick={() => setInviting(true)}>
                  <Icon name="plus" />
                  {t('academy.invite.title')}
                </button>
                <button
                  type="button"
                  className="btn"
                  disabled={full}
                  aria-expanded={uploading}
                  onClick={() => setUploading(true)}
                >
                  <Icon name="upload" />
                  {t('academy.csv.open')}
                </button>
              </>
            ) : null}
          </>
        }
      />
      <dl className="stat-row">
        <div>
          <dt>{t('academy.cohorts.enrolled')}</dt>
          <dd>{t('academy.cohorts.ofCapacity', { enrolled: learners.length, capacity: c.capacity })}</dd>
        </div>
        <div>
          <dt>{t('academy.cohorts.completed')}</dt>
          <dd>{completed}</dd>
        </div>
        <div>
          <dt>{t('academy.cohorts.overdue')}</dt>
          <dd>{overdue}</dd>
        </div>
        <div>
          <dt>{t('academy.pending.count')}</dt>
          <dd>{pending}</dd>
        </div>
        <div>
          <dt>{t('academy.cohort.facilitators')}</dt>
          <dd>
            {c.facilitators.length ? (
              <ul className="inline-list">
                {c.facilitators.map((f) => (
                  <li key={f.id}>
                    <bdi>{f.name}</bdi>
                  </li>
                ))}
              </ul>
            ) : (
              <span className="muted">{t('academy.cohort.noFacilitators')}</span>
            )}
          </dd>
        </div>
      </dl>
      {notice ? (
        <p className="alert alert-success" role="status">
          {notice}
        </p>
      ) : null}
      {resent ? (
        <div className="alert alert-success" role="status">
          <p>{t('academy.pending.resent', { name: resent.name })}</p>
          <p>
            <bdi dir="ltr" className="code">
              {resent.link}
            </bdi>
          </p>
        </div>
      ) : null}
      {resend.isError ? <AcademyError error={resend.error} /> : null}
      {coordinator && full ? <p className="alert alert-info">{t('academy.cohort.full')}</p> : null}
      {uploading ? <CsvUpload cohort={c} onClose={() => setUploading(false)} /> : null}
      <h2 id="learners-head">{t('academy.cohort.learners')}</h2>
      {learners.length === 0 ? (
        <EmptyState title={t('academy.cohort.empty')}>
          <p>{coordinator ? t('academy.cohort.emptyCoordinator') : t('academy.cohort.emptyFacilitator')}</p>
        </EmptyState>
      ) : (
        <LearnersTable
          cohort={c}
          actions={
            coordinator
              ? {
                  onGrant: (r) => {
                    setNotice(null);
                    setGranting(r);
                  },
                  onRevoke: (r) => {
                    setNotice(null);
                    setRevoking(r);
                  },
                  onResend: (r) => {
                    setNotice(null);
                    setResent(null);
                    setResending(r);
                    resend.mutate({ enrolmentId: r.enrolmentId });
                  },
                  resending: resend.isPending ? (resending?.enrolmentId ?? null) : null,
                }
              : undefined
          }
        />
      )}
      {coordinator ? <CohortInviteDialog cohort={c} open={inviting} onClose={() => setInviting(false)} /> : null}
      {coordinator ? (
        <EditCohortDialog
          cohort={c}
          open={editing}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setNotice(t('academy.cohortEdit.saved'));
          }}
        />
      ) : null}
      {coordinator ? (
        <GrantAttemptsDialog
          cohort={c}
          learner={granting}
          myEmail={me?.user.email}
          onClose={() => setGranting(null)}
          onDone={(r, n, count) => {
            setNotice(t('academy.grant.done', { name: r.name, n, count }));
            setGranting(null);
          }}
        />
      ) : null}
      {coordinator ? (
        <RevokeCertificateDialog
          cohortId={c.id}
          learner={revoking}
          onClose={() => setRevoking(null)}
          onDone={(r) => {
            setNotice(t('academy.revoke.done', { name: r.name, code: r.certificate ?? '' }));
            setRevoking(null);
          }}
        />
      ) : null}
    </>
  );
}
