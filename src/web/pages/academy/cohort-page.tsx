/**
 * One cohort: its learners' progress (sortable), CSV export, and — for coordinators — editing the
 * cohort, inviting one learner or enrolling a CSV file, giving extra quiz attempts and revoking certificates.
 */
import '../../styles/academy.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import {
  academyKeys,
  academyPaths,
  useCohort,
  type CohortDetail,
  type EnrolResponse,
  type EnrolResultRow,
  type LearnerRow,
} from '../../api/academy';
import { api } from '../../api/client';
import { useMe } from '../../api/queries';
import { CopyButton } from '../../components/copy-button';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { LOCALE_NAMES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import {
  AcademyError,
  DayDate,
  detailsByPath,
  ModulesProgress,
  useCodeMessage,
  useCountryName,
  usePercent,
  useText,
} from './bits';
import { EditCohortDialog, GrantAttemptsDialog, RevokeCertificateDialog } from './cohort-dialogs';
import { SortHeader, useSorted } from './sort';

/** The largest file the server takes (characters of CSV text). */
const MAX_CSV_CHARS = 200_000;

function InviteDialog({ cohort, open, onClose }: { cohort: CohortDetail; open: boolean; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const code = useCodeMessage();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const invite = useMutation({
    mutationFn: () =>
      api<EnrolResponse>('POST', academyPaths.enrolments(cohort.id), {
        body: { email: email.trim(), name: name.trim() },
      }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: academyKeys.cohort(cohort.id) });
      void qc.invalidateQueries({ queryKey: academyKeys.cohorts });
    },
  });
  const close = () => {
    setEmail('');
    setName('');
    invite.reset();
    onClose();
  };
  const errCode = detailsByPath(invite.error).email;
  const nameErr = errCode === 'name_required' ? code(errCode) : code(detailsByPath(invite.error).name);
  const emailErr = errCode && errCode !== 'name_required' ? code(errCode) : undefined;
  const result = invite.data?.results[0];
  return (
    <Dialog open={open} title={t('academy.invite.title')} onClose={close}>
      {invite.data && result ? (
        <div className="stack">
          <p className="alert alert-success" role="status">
            {result.outcome === 'invite'
              ? t('academy.invite.invited', { email: result.email })
              : t('academy.invite.enrolled', { email: result.email })}
          </p>
          {result.link ? (
            <>
              <p>{t('academy.invite.linkOnce')}</p>
              <p className="link-box">
                <code dir="ltr">{result.link}</code>
              </p>
              <p>
                <CopyButton text={result.link} label={t('academy.invite.copyLink')} />
              </p>
            </>
          ) : null}
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={close}>
              {t('action.done')}
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setEmail('');
                setName('');
                invite.reset();
              }}
            >
              {t('academy.invite.another')}
            </button>
          </div>
        </div>
      ) : (
        <form
          className="stack"
          onSubmit={(e) => {
            e.preventDefault();
            invite.mutate();
          }}
        >
          {invite.isError ? <AcademyError error={invite.error} fields={['email', 'name']} /> : null}
          <Field
            label={t('academy.invite.email')}
            type="email"
            required
            dir="ltr"
            autoComplete="off"
            maxLength={254}
            value={email}
            error={emailErr}
            onChange={(e) => setEmail(e.target.value)}
          />
          <Field
            label={t('academy.invite.name')}
            hint={t('academy.invite.nameHint')}
            dir="auto"
            autoComplete="off"
            maxLength={200}
            value={name}
            error={nameErr}
            onChange={(e) => setName(e.target.value)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={invite.isPending}>
              {invite.isPending ? t('state.loading') : t('academy.invite.submit')}
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

/** One CSV row's result in words. */
function Outcome({ r, committed }: { r: EnrolResultRow; committed: boolean }) {
  const t = useT();
  const code = useCodeMessage();
  if (r.outcome === 'error')
    return (
      <span className="outcome outcome-error">
        <Icon name="cross" />
        {code(r.code)}
      </span>
    );
  return (
    <span className="outcome outcome-ok">
      <Icon name="check" />
      {r.outcome === 'invite'
        ? committed
          ? t('academy.csv.invited')
          : t('academy.csv.willInvite')
        : committed
          ? t('academy.csv.enrolled')
          : t('academy.csv.willEnrol')}
    </span>
  );
}

function ResultTable({ rows, committed, caption }: { rows: EnrolResultRow[]; committed: boolean; caption: string }) {
  const t = useT();
  return (
    <div className="table-wrap csv-table" role="region" tabIndex={0} aria-label={caption}>
      <table className="table table-dense">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('academy.csv.line')}</th>
            <th scope="col">{t('academy.invite.email')}</th>
            <th scope="col">{t('academy.csv.result')}</th>
            {committed ? <th scope="col">{t('academy.csv.link')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={`${r.line}-${r.email}`} className={r.outcome === 'error' ? 'row-error' : undefined}>
              <td>
                <bdi>{r.line}</bdi>
              </td>
              <td>
                <bdi dir="ltr">{r.email || '—'}</bdi>
              </td>
              <td>
                <Outcome r={r} committed={committed} />
              </td>
              {committed ? (
                <td>{r.link ? <CopyButton text={r.link} label={t('academy.invite.copyLink')} /> : null}</td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Choose a CSV file → preview every row → enrol the good rows (all or nothing) → the result with invitation links. */
function CsvUpload({ cohort, onClose }: { cohort: CohortDetail; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const fileId = useId();
  const headRef = useRef<HTMLHeadingElement>(null);
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(false);
  const preview = useMutation({
    mutationFn: (text: string) =>
      api<EnrolResponse>('POST', academyPaths.enrolments(cohort.id), { body: { csv: text, commit: false } }),
  });
  const commit = useMutation({
    mutationFn: (text: string) =>
      api<EnrolResponse>('POST', academyPaths.enrolments(cohort.id), { body: { csv: text, commit: true } }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: academyKeys.cohort(cohort.id) });
      void qc.invalidateQueries({ queryKey: academyKeys.cohorts });
      void qc.invalidateQueries({ queryKey: academyKeys.countries });
    },
  });
  useEffect(() => headRef.current?.focus(), []);

  const choose = async (file: File | undefined) => {
    preview.reset();
    commit.reset();
    setCsv(null);
    setFileError(null);
    if (!file) return;
    setFileName(file.name);
    const text = await file.text();
    if (text.length > MAX_CSV_CHARS) {
      setFileError(t('academy.csv.tooLarge'));
      return;
    }
    setCsv(text);
    preview.mutate(text);
  };

  const p = preview.data;
  const shown = p ? (onlyProblems ? p.results.filter((r) => r.outcome === 'error') : p.results) : [];
  const done = commit.data;
  return (
    <section className="card csv-upload" aria-labelledby="csv-head">
      <div className="module-head">
        <h2 id="csv-head" ref={headRef} tabIndex={-1}>
          {t('academy.csv.title')}
        </h2>
        <button type="button" className="btn btn-quiet btn-small" onClick={onClose}>
          {t('action.close')}
        </button>
      </div>
      {done ? (
        <div className="stack">
          <p className="alert alert-success" role="status">
            {t('academy.csv.done', { enrolled: done.enrolled, invited: done.invited })}
          </p>
          {done.invited > 0 ? <p>{t('academy.csv.linksOnce')}</p> : null}
          <ResultTable rows={done.results} committed caption={t('academy.csv.resultCaption')} />
          <div className="form-actions">
            <button type="button" className="btn btn-primary" onClick={onClose}>
              {t('action.done')}
            </button>
          </div>
        </div>
      ) : (
        <div className="stack">
          <p className="muted">{t('academy.csv.help')}</p>
          <div className={`field${fileError ? ' field-invalid' : ''}`}>
            <label htmlFor={fileId}>{t('academy.csv.file')}</label>
            <input
              id={fileId}
              type="file"
              accept=".csv,text/csv"
              aria-describedby={fileError ? `${fileId}-err` : undefined}
              onChange={(e) => void choose(e.target.files?.[0])}
            />
            {fileError ? (
              <p className="field-error" id={`${fileId}-err`}>
                {fileError}
              </p>
            ) : null}
          </div>
          {preview.isPending ? <Loading label={t('academy.csv.checking', { file: fileName })} /> : null}
          {preview.isError ? (
            <AcademyError error={preview.error} onRetry={csv ? () => preview.mutate(csv) : undefined} />
          ) : null}
          {p ? (
            <>
              <p role="status" className="strong">
                {t('academy.csv.summary', { rows: p.rows, ok: p.ok, errors: p.errors })}
              </p>
              {p.errors > 0 ? <p className="muted">{t('academy.csv.skipped')}</p> : null}
              {p.errors > 0 && p.ok > 0 ? (
                <label className="choice">
                  <input type="checkbox" checked={onlyProblems} onChange={(e) => setOnlyProblems(e.target.checked)} />
                  {t('academy.csv.onlyProblems')}
                </label>
              ) : null}
              <ResultTable rows={shown} committed={false} caption={t('academy.csv.previewCaption')} />
              {commit.isPending ? (
                <div className="progress-row" role="status">
                  <progress aria-label={t('academy.csv.enrolling', { count: p.ok })} />
                  <span>{t('academy.csv.enrolling', { count: p.ok })}</span>
                </div>
              ) : null}
              {commit.isError ? <AcademyError error={commit.error} /> : null}
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn-primary"
                  disabled={p.ok === 0 || commit.isPending || !csv}
                  onClick={() => csv && commit.mutate(csv)}
                >
                  {t('academy.csv.commit', { count: p.ok })}
                </button>
              </div>
            </>
          ) : null}
        </div>
      )}
    </section>
  );
}

interface RowActions {
  onGrant: (r: LearnerRow) => void;
  onRevoke: (r: LearnerRow) => void;
}

function LearnersTable({ cohort, actions }: { cohort: CohortDetail; actions?: RowActions }) {
  const t = useT();
  const text = useText();
  const percent = usePercent();
  const moduleNo = (id: string | null) => (id ? cohort.modules.findIndex((m) => m.id === id) + 1 : 0);
  const columns = useMemo(() => {
    const base: Record<string, (r: LearnerRow) => string | number | boolean | null> = {
      name: (r) => r.name,
      email: (r) => r.email,
      modules: (r) => r.modulesComplete,
      current: (r) =>
        r.complete
          ? cohort.modules.length + 1
          : r.current
            ? cohort.modules.findIndex((m) => m.id === r.current) + 1
            : null,
      overdue: (r) => r.overdue,
      certificate: (r) => r.certificate,
    };
    for (const m of cohort.modules) base[`grade:${m.id}`] = (r) => r.grades[m.id] ?? null;
    return base;
  }, [cohort.modules]);
  const { sorted, sort, toggle } = useSorted(cohort.learners, columns, { key: 'name', dir: 'asc' });
  return (
    <div className="table-wrap" role="region" tabIndex={0} aria-labelledby="learners-head">
      <table className="table learners-table">
        <caption className="visually-hidden">{t('academy.cohort.learners')}</caption>
        <thead>
          <tr>
            <SortHeader id="name" label={t('academy.cohort.col.name')} sort={sort} onSort={toggle} />
            <SortHeader id="email" label={t('academy.invite.email')} sort={sort} onSort={toggle} />
            <SortHeader id="modules" label={t('academy.cohort.col.modules')} sort={sort} onSort={toggle} />
            <SortHeader id="current" label={t('academy.cohort.col.current')} sort={sort} onSort={toggle} />
            {cohort.modules.map((m, i) => (
              <SortHeader
                key={m.id}
                id={`grade:${m.id}`}
                label={t('academy.cohort.col.quiz', { n: i + 1 })}
                title={text(m.title)}
                sort={sort}
                onSort={toggle}
              />
            ))}
            <SortHeader id="overdue" label={t('academy.cohorts.overdue')} sort={sort} onSort={toggle} />
            <SortHeader id="certificate" label={t('academy.cohort.col.certificate')} sort={sort} onSort={toggle} />
            {actions ? <th scope="col">{t('academy.cohort.col.actions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.enrolmentId}>
              <th scope="row">
                <bdi>{r.name}</bdi>
                {r.account !== 'active' ? (
                  <span className={`chip chip-${r.account}`}>{t(`academy.account.${r.account}`)}</span>
                ) : null}
              </th>
              <td>
                <bdi dir="ltr" className="small">
                  {r.email}
                </bdi>
              </td>
              <td className="cell-progress">
                <ModulesProgress done={r.modulesComplete} total={r.modulesTotal} />
              </td>
              <td className="nowrap">
                {r.complete
                  ? t('academy.course.complete')
                  : r.current
                    ? t('academy.module.number', { n: moduleNo(r.current) })
                    : '—'}
              </td>
              {cohort.modules.map((m) => {
                const g = r.grades[m.id];
                return (
                  <td key={m.id}>{g === null || g === undefined ? <span className="muted">—</span> : percent(g)}</td>
                );
              })}
              <td>
                {r.overdue ? (
                  <span className="chip chip-icon chip-overdue">
                    <Icon name="alert" />
                    {t('academy.overdue')}
                  </span>
                ) : (
                  <span className="muted">{t('academy.cohort.onTrack')}</span>
                )}
              </td>
              <td>
                {r.certificate ? (
                  <>
                    <bdi className="code">{r.certificate}</bdi>
                    {r.certificateRevoked ? (
                      <span className="chip chip-icon chip-cert-revoked">
                        <Icon name="cross" />
                        {t('academy.cert.status.revoked')}
                      </span>
                    ) : null}
                  </>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              {actions ? (
                <td className="row-actions learner-actions">
                  <button type="button" className="btn btn-small" onClick={() => actions.onGrant(r)}>
                    {t('academy.grant.open')}
                    <span className="visually-hidden">
                      {' '}
                      <bdi>{r.name}</bdi>
                    </span>
                  </button>
                  {r.certificate && !r.certificateRevoked ? (
                    <button type="button" className="btn btn-small btn-quiet" onClick={() => actions.onRevoke(r)}>
                      {t('academy.revoke.open')}
                      <span className="visually-hidden">
                        {' '}
                        <bdi>{r.name}</bdi>
                      </span>
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The /cohorts/:id page. */
export function CohortPage() {
  const t = useT();
  const country = useCountryName();
  const { id = '' } = useParams();
  const me = useMe().data;
  const coordinator = (me?.user.roles ?? []).includes('coordinator');
  const cohort = useCohort(id);
  const [inviting, setInviting] = useState(false);
  const [uploading, setUploading] = useState(false);
  const [editing, setEditing] = useState(false);
  const [granting, setGranting] = useState<LearnerRow | null>(null);
  const [revoking, setRevoking] = useState<LearnerRow | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
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
            <a className="btn" href={academyPaths.progressCsv(c.id)} download>
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
                }
              : undefined
          }
        />
      )}
      {coordinator ? <InviteDialog cohort={c} open={inviting} onClose={() => setInviting(false)} /> : null}
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
