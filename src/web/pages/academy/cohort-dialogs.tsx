/** Coordinator dialogs of the cohort page: edit the cohort (If-Match), revoke a learner's certificate, give extra quiz attempts. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type ReactNode } from 'react';
import {
  academyKeys,
  academyPaths,
  useFacilitators,
  type CohortDetail,
  type CohortInput,
  type CohortItem,
  type LearnerRow,
} from '../../api/academy';
import { api, isApiError } from '../../api/client';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { ErrorAlert } from '../../components/states';
import { LOCALE_NAMES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import { TextAreaField } from '../cases/form-bits';
import { AcademyError, DayDate, detailsByPath, useCodeMessage, useCountryName, useText } from './bits';
import {
  COHORT_FIELDS,
  CohortFields,
  cohortFormOf,
  cohortFormProblems,
  cohortInput,
  type CohortForm,
} from './cohort-form';

/** Whether the table shows a learner with progress: then the start date can no longer change (the server has the last word). */
function hasProgress(c: CohortDetail): boolean {
  return c.learners.some(
    (l) => l.modulesComplete > 0 || Object.values(l.grades).some((g) => g !== null && g !== undefined),
  );
}

/** After a version conflict: what is saved now next to what the coordinator entered. */
function Differences({ current, form }: { current: CohortDetail; form: CohortForm }) {
  const t = useT();
  const country = useCountryName();
  const saved = cohortFormOf(current);
  const known = useFacilitators().data?.items ?? [];
  const nameOf = (id: string) =>
    current.facilitators.find((f) => f.id === id)?.name ?? known.find((f) => f.id === id)?.name ?? id;
  const people = (ids: string[]) =>
    ids.length ? <bdi>{ids.map(nameOf).join(', ')}</bdi> : t('academy.cohort.noFacilitators');
  const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
  const rows: { label: string; now: ReactNode; yours: ReactNode }[] = [];
  const language = (l: string) => <bdi lang={l}>{LOCALE_NAMES[l as keyof typeof LOCALE_NAMES] ?? l}</bdi>;
  if (saved.name !== form.name.trim())
    rows.push({ label: t('academy.cohorts.name'), now: <bdi>{saved.name}</bdi>, yours: <bdi>{form.name}</bdi> });
  if (saved.memberState !== form.memberState)
    rows.push({
      label: t('academy.cohorts.country'),
      now: country(saved.memberState),
      yours: form.memberState ? country(form.memberState) : '—',
    });
  if (saved.language !== form.language)
    rows.push({ label: t('academy.cohorts.language'), now: language(saved.language), yours: language(form.language) });
  if (saved.startsOn !== form.startsOn)
    rows.push({
      label: t('academy.cohorts.startsOn'),
      now: <DayDate value={saved.startsOn} />,
      yours: <DayDate value={form.startsOn} />,
    });
  if (saved.endsOn !== form.endsOn)
    rows.push({
      label: t('academy.cohorts.endsOn'),
      now: <DayDate value={saved.endsOn} />,
      yours: <DayDate value={form.endsOn} />,
    });
  if (saved.capacity !== form.capacity)
    rows.push({ label: t('academy.cohorts.capacity'), now: saved.capacity, yours: form.capacity || '—' });
  if (!sameSet(saved.facilitatorIds, form.facilitatorIds))
    rows.push({
      label: t('academy.cohort.facilitators'),
      now: people(saved.facilitatorIds),
      yours: people(form.facilitatorIds),
    });
  return (
    <div className="alert alert-info" role="status">
      <p>{t('conflict.reapply')}</p>
      {rows.length === 0 ? (
        <p>{t('academy.cohortEdit.same')}</p>
      ) : (
        <table className="table table-dense">
          <thead>
            <tr>
              <th scope="col">{t('academy.cohortEdit.field')}</th>
              <th scope="col">{t('conflict.current')}</th>
              <th scope="col">{t('conflict.yours')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.label}>
                <th scope="row">{r.label}</th>
                <td>{r.now}</td>
                <td>{r.yours}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/**
 * Edit a cohort: the same fields as a new one, saved with If-Match. The form starts afresh each time
 * the dialog opens; the version it edits is the one shown then, so a change by someone else meanwhile
 * is a conflict (reload keeps the coordinator's input and shows what differs).
 */
export function EditCohortDialog({
  cohort,
  open,
  onClose,
  onSaved,
}: {
  cohort: CohortDetail;
  open: boolean;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  return (
    <Dialog open={open} title={t('academy.cohortEdit.title')} onClose={onClose}>
      <EditCohortForm cohort={cohort} onClose={onClose} onSaved={onSaved} />
    </Dialog>
  );
}

function EditCohortForm({
  cohort,
  onClose,
  onSaved,
}: {
  cohort: CohortDetail;
  onClose: () => void;
  onSaved: () => void;
}) {
  const t = useT();
  const qc = useQueryClient();
  const [base, setBase] = useState(cohort);
  const [form, setForm] = useState(() => cohortFormOf(cohort));
  const [current, setCurrent] = useState<CohortDetail | null>(null);
  const [problems, setProblems] = useState({ dates: false, facilitators: false });
  const [startFixed, setStartFixed] = useState(false);
  const save = useMutation({
    mutationFn: (v: { body: CohortInput; version: number }) =>
      api<CohortItem>('PATCH', academyPaths.cohort(base.id), { body: v.body, version: v.version }),
    onError: (e) => {
      // Learners have progress the table does not show (lessons read): put the saved start date back and fix it.
      if (detailsByPath(e).startsOn === 'cohort_started') {
        setStartFixed(true);
        setForm((f) => ({ ...f, startsOn: base.startsOn }));
      }
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: academyKeys.cohort(base.id) });
      void qc.invalidateQueries({ queryKey: academyKeys.cohorts });
      void qc.invalidateQueries({ queryKey: academyKeys.countries });
      onSaved();
    },
  });
  const reload = useMutation({
    mutationFn: () =>
      qc.fetchQuery({
        queryKey: academyKeys.cohort(base.id),
        queryFn: () => api<CohortDetail>('GET', academyPaths.cohort(base.id)),
        staleTime: 0,
      }),
    onSuccess: (c) => {
      setBase(c);
      setCurrent(c);
      save.reset();
    },
  });
  const conflict = isApiError(save.error, 'VERSION_CONFLICT');
  // The start date is fixed once learners have progress (seen in the table, or said by the server).
  const startLocked = (startFixed || hasProgress(base)) && form.startsOn === base.startsOn;
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const found = cohortFormProblems(form);
        setProblems(found);
        // A refusal here replaces an earlier server answer (its errors may no longer hold).
        if (found.dates || found.facilitators) save.reset();
        else save.mutate({ body: cohortInput(form), version: base.version });
      }}
    >
      {conflict ? (
        <ConflictNotice reloading={reload.isPending} reloadError={reload.error} onReload={() => reload.mutate()} />
      ) : save.isError ? (
        <AcademyError error={save.error} fields={COHORT_FIELDS} />
      ) : null}
      {current && !conflict ? <Differences current={current} form={form} /> : null}
      {problems.dates ? (
        <p className="alert alert-error" role="alert">
          {t('academy.cohorts.endsBeforeStart')}
        </p>
      ) : null}
      <CohortFields
        form={form}
        onChange={setForm}
        error={conflict ? null : save.error}
        sent={save.variables?.body}
        problems={problems}
        assigned={base.facilitators}
        startLocked={startLocked}
        minCapacity={base.learners.length}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending || conflict}>
          {save.isPending ? t('state.loading') : t('action.save')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

const REASON_MIN = 3;
const REASON_MAX = 500;

/** Revoke one learner's certificate with a reason (3–500 characters); open while `learner` is set. */
export function RevokeCertificateDialog({
  cohortId,
  learner,
  onClose,
  onDone,
}: {
  cohortId: string;
  learner: LearnerRow | null;
  onClose: () => void;
  onDone: (learner: LearnerRow) => void;
}) {
  const t = useT();
  return (
    <Dialog open={learner !== null} title={t('academy.revoke.title')} onClose={onClose}>
      {learner ? (
        <RevokeForm cohortId={cohortId} learner={learner} onClose={onClose} onDone={() => onDone(learner)} />
      ) : null}
    </Dialog>
  );
}

function RevokeForm({
  cohortId,
  learner,
  onClose,
  onDone,
}: {
  cohortId: string;
  learner: LearnerRow;
  onClose: () => void;
  onDone: () => void;
}) {
  const t = useT();
  const qc = useQueryClient();
  const code = useCodeMessage();
  const [reason, setReason] = useState('');
  const [short, setShort] = useState(false);
  const revoke = useMutation({
    mutationFn: (v: { id: string; reason: string }) =>
      api<void>('POST', academyPaths.revokeCertificate(v.id), { body: { reason: v.reason } }),
    onSuccess: () => onDone(),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: academyKeys.cohort(cohortId) });
    },
  });
  const serverReason = detailsByPath(revoke.error).reason;
  const reasonErr = short
    ? t('academy.revoke.reasonLength', { min: REASON_MIN, max: REASON_MAX })
    : serverReason
      ? /^too_(small|big)$/.test(serverReason)
        ? t('academy.revoke.reasonLength', { min: REASON_MIN, max: REASON_MAX })
        : code(serverReason)
      : undefined;
  return (
    <form
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const r = reason.trim();
        const bad = r.length < REASON_MIN || r.length > REASON_MAX;
        setShort(bad);
        if (!bad && learner.certificateId) revoke.mutate({ id: learner.certificateId, reason: r });
      }}
    >
      <p>{t('academy.revoke.whose', { name: learner.name, code: learner.certificate ?? '' })}</p>
      <p className="alert alert-warning">{t('academy.revoke.effect')}</p>
      {!learner.certificateId ? <p className="alert alert-error">{t('academy.revoke.noId')}</p> : null}
      {revoke.isError ? <AcademyError error={revoke.error} fields={['reason']} /> : null}
      <TextAreaField
        label={t('academy.revoke.reason')}
        hint={t('academy.revoke.reasonHint', { min: REASON_MIN, max: REASON_MAX })}
        required
        maxLength={REASON_MAX}
        value={reason}
        error={reasonErr}
        onChange={(e) => setReason(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-danger" disabled={revoke.isPending || !learner.certificateId}>
          {revoke.isPending ? t('state.loading') : t('academy.revoke.submit')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}

const COUNTS = [1, 2, 3, 4, 5];

interface GrantProps {
  cohort: CohortDetail;
  myEmail: string | undefined;
  onClose: () => void;
}

/** Give a learner extra quiz attempts (1–5) for one module; open while `learner` is set. */
export function GrantAttemptsDialog({
  learner,
  onDone,
  ...rest
}: GrantProps & {
  learner: LearnerRow | null;
  onDone: (learner: LearnerRow, moduleNo: number, count: number) => void;
}) {
  const t = useT();
  return (
    <Dialog open={learner !== null} title={t('academy.grant.title')} onClose={rest.onClose}>
      {learner ? <GrantForm {...rest} learner={learner} onDone={(n, count) => onDone(learner, n, count)} /> : null}
    </Dialog>
  );
}

function GrantForm({
  cohort,
  learner,
  myEmail,
  onClose,
  onDone,
}: GrantProps & { learner: LearnerRow; onDone: (moduleNo: number, count: number) => void }) {
  const t = useT();
  const qc = useQueryClient();
  const text = useText();
  const code = useCodeMessage();
  const ids = { module: useId(), count: useId() };
  const first =
    learner.current && cohort.modules.some((m) => m.id === learner.current)
      ? learner.current
      : (cohort.modules[0]?.id ?? '');
  const [moduleId, setModuleId] = useState(first);
  const [count, setCount] = useState(1);
  const grant = useMutation({
    mutationFn: (v: { moduleId: string; count: number }) =>
      api<unknown>('POST', academyPaths.grants(learner.enrolmentId), { body: v }),
    onSuccess: (_r, v) => {
      void qc.invalidateQueries({ queryKey: academyKeys.cohort(cohort.id) });
      onDone(cohort.modules.findIndex((m) => m.id === v.moduleId) + 1, v.count);
    },
  });
  const errs = detailsByPath(grant.error);
  const self = Boolean(myEmail && myEmail.toLowerCase() === learner.email.toLowerCase());
  const forbidden = isApiError(grant.error, 'FORBIDDEN');
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        grant.mutate({ moduleId, count });
      }}
    >
      <p>{t('academy.grant.lead', { name: learner.name })}</p>
      {forbidden ? (
        <ErrorAlert error={grant.error} message={self ? t('academy.grant.self') : undefined} />
      ) : grant.isError ? (
        <AcademyError error={grant.error} fields={['moduleId', 'count']} />
      ) : null}
      <div className="form-grid">
        <div className={`field${errs.moduleId ? ' field-invalid' : ''}`}>
          <label htmlFor={ids.module}>{t('academy.grant.module')}</label>
          <select
            id={ids.module}
            required
            value={moduleId}
            aria-invalid={errs.moduleId ? true : undefined}
            aria-describedby={errs.moduleId ? `${ids.module}-err` : undefined}
            onChange={(e) => setModuleId(e.target.value)}
          >
            {cohort.modules.map((m, i) => (
              <option key={m.id} value={m.id}>
                {t('academy.grant.moduleOption', { n: i + 1, title: text(m.title, m.id) })}
              </option>
            ))}
          </select>
          {errs.moduleId ? (
            <p className="field-error" id={`${ids.module}-err`}>
              {code(errs.moduleId)}
            </p>
          ) : null}
        </div>
        <div className={`field${errs.count ? ' field-invalid' : ''}`}>
          <label htmlFor={ids.count}>{t('academy.grant.count')}</label>
          <select
            id={ids.count}
            value={count}
            aria-invalid={errs.count ? true : undefined}
            aria-describedby={errs.count ? `${ids.count}-err` : undefined}
            onChange={(e) => setCount(Number(e.target.value))}
          >
            {COUNTS.map((n) => (
              <option key={n} value={n}>
                {t('academy.grant.countOption', { count: n })}
              </option>
            ))}
          </select>
          {errs.count ? (
            <p className="field-error" id={`${ids.count}-err`}>
              {code(errs.count)}
            </p>
          ) : null}
        </div>
      </div>
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={grant.isPending || !moduleId}>
          {grant.isPending ? t('state.loading') : t('academy.grant.submit')}
        </button>
        <button type="button" className="btn btn-quiet" onClick={onClose}>
          {t('action.cancel')}
        </button>
      </div>
    </form>
  );
}
