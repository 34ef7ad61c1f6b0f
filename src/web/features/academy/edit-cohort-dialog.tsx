/** Editing a cohort (If-Match): the same fields as a new one; after a version conflict, what differs. */
import { useState, type ReactNode } from 'react';
import { fieldErrors } from '../../api/client';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { LOCALE_NAMES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import { AcademyError, DayDate, useCountryName } from './bits';
import {
  COHORT_FIELDS,
  CohortFields,
  cohortFormOf,
  cohortFormProblems,
  cohortInput,
  type CohortForm,
} from './cohort-form';
import { useFacilitators, useReloadCohort, useSaveCohort } from './staff-api';
import type { CohortDetail } from './types';

/** Whether the table shows a learner with progress: then the start date can no longer change (the server has the last word). */
function hasProgress(c: CohortDetail): boolean {
  return c.learners.some(
    (l) => (l.modulesComplete ?? 0) > 0 || Object.values(l.grades).some((g) => g !== null && g !== undefined),
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
  const [base, setBase] = useState(cohort);
  const [form, setForm] = useState(() => cohortFormOf(cohort));
  const [current, setCurrent] = useState<CohortDetail | null>(null);
  const [problems, setProblems] = useState({ dates: false, facilitators: false });
  const [startFixed, setStartFixed] = useState(false);
  const save = useSaveCohort(cohort.id, {
    onError: (e) => {
      // Learners have progress the table does not show (lessons read): put the saved start date back and fix it.
      if (fieldErrors(e).startsOn === 'cohort_started') {
        setStartFixed(true);
        setForm((f) => ({ ...f, startsOn: base.startsOn }));
      }
    },
    onSuccess: onSaved,
  });
  const reload = useReloadCohort(cohort.id, {
    onSuccess: (c) => {
      setBase(c);
      setCurrent(c);
      save.reset();
    },
  });
  const conflict = save.conflict;
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
