/** Cohorts (coordinators and facilitators): the cohorts I may see, a new-cohort dialog for coordinators, and progress per country. */
import '../../styles/academy.css';
import { useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { useCan } from '../../api/abilities';
import { Dialog } from '../../components/dialog';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ReadState } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { LOCALE_NAMES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import { AcademyError, DayDate, useCountryName, usePercent } from './bits';
import { COHORT_FIELDS, CohortFields, cohortFormProblems, cohortInput, newCohortForm } from './cohort-form';
import { SortHeader, useSorted } from '../../components/sort';
import { useCohorts, useCountryReport, useCreateCohort } from './staff-api';
import type { CohortItem, CountryRow } from './types';

function NewCohortDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const navigate = useNavigate();
  const { locale } = useI18n();
  const [form, setForm] = useState(() => newCohortForm(locale));
  const [problems, setProblems] = useState({ dates: false, facilitators: false });
  const create = useCreateCohort({
    onSuccess: (c) => {
      setForm(newCohortForm(locale));
      onClose();
      void navigate(`/cohorts/${c.id}`);
    },
  });
  const close = () => {
    create.reset();
    setProblems({ dates: false, facilitators: false });
    onClose();
  };
  return (
    <Dialog open={open} title={t('academy.cohorts.new')} onClose={close}>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const found = cohortFormProblems(form);
          setProblems(found);
          // A refusal here replaces an earlier server answer (its errors may no longer hold).
          if (found.dates || found.facilitators) create.reset();
          else create.mutate(cohortInput(form));
        }}
      >
        {create.isError ? <AcademyError error={create.error} fields={COHORT_FIELDS} /> : null}
        {problems.dates ? (
          <p className="alert alert-error" role="alert">
            {t('academy.cohorts.endsBeforeStart')}
          </p>
        ) : null}
        <CohortFields form={form} onChange={setForm} error={create.error} sent={create.variables} problems={problems} />
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={create.isPending}>
            {create.isPending ? t('state.loading') : t('academy.cohorts.create')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={close}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

function CountrySummary() {
  const t = useT();
  const country = useCountryName();
  const percent = usePercent();
  const report = useCountryReport();
  const columns = useMemo(
    () => ({
      country: (r: CountryRow) => country(r.memberState),
      cohorts: (r: CountryRow) => r.cohorts,
      learners: (r: CountryRow) => r.learners,
      completed: (r: CountryRow) => r.completed,
      overdue: (r: CountryRow) => r.overdue,
    }),
    [country],
  );
  const { sorted, sort, toggle } = useSorted(report.data?.items ?? [], columns, { key: 'country', dir: 'asc' });
  return (
    // Not a landmark itself: the scrollable table below is the region named by this heading.
    <section className="section">
      <h2 id="by-country">{t('academy.countries.title')}</h2>
      <ReadState
        read={report}
        empty={(data) => data.items.length === 0 && <p className="muted">{t('academy.countries.empty')}</p>}
      >
        {() => (
          <div className="table-wrap" role="region" tabIndex={0} aria-labelledby="by-country">
            <table className="table">
              <caption className="visually-hidden">{t('academy.countries.title')}</caption>
              <thead>
                <tr>
                  <SortHeader id="country" label={t('academy.cohorts.country')} sort={sort} onSort={toggle} />
                  <SortHeader id="cohorts" label={t('academy.countries.cohorts')} sort={sort} onSort={toggle} />
                  <SortHeader id="learners" label={t('academy.countries.learners')} sort={sort} onSort={toggle} />
                  <SortHeader id="completed" label={t('academy.cohorts.completed')} sort={sort} onSort={toggle} />
                  <SortHeader id="overdue" label={t('academy.cohorts.overdue')} sort={sort} onSort={toggle} />
                </tr>
              </thead>
              <tbody>
                {sorted.map((r) => (
                  <tr key={r.memberState}>
                    <th scope="row">
                      {country(r.memberState)} <bdi className="muted small">({r.memberState})</bdi>
                    </th>
                    <td>{r.cohorts}</td>
                    <td>{r.learners}</td>
                    <td>
                      {r.completed}
                      {r.learners > 0 ? (
                        <span className="muted small"> ({percent(Math.round((r.completed / r.learners) * 100))})</span>
                      ) : null}
                    </td>
                    <td>{r.overdue}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ReadState>
    </section>
  );
}

/** The /cohorts page. */
export function CohortsPage() {
  const t = useT();
  const country = useCountryName();
  const coordinator = useCan()('cohort.manage');
  const cohorts = useCohorts();
  const [creating, setCreating] = useState(false);
  const columns = useMemo(
    () => ({
      name: (c: CohortItem) => c.name,
      country: (c: CohortItem) => country(c.memberState),
      language: (c: CohortItem) => LOCALE_NAMES[c.language] ?? c.language,
      startsOn: (c: CohortItem) => c.startsOn,
      enrolled: (c: CohortItem) => c.enrolled,
      completed: (c: CohortItem) => c.completed,
      overdue: (c: CohortItem) => c.overdue,
    }),
    [country],
  );
  const { sorted, sort, toggle } = useSorted(cohorts.data?.items ?? [], columns, { key: 'startsOn', dir: 'desc' });
  const newButton = coordinator ? (
    <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
      <Icon name="plus" />
      {t('academy.cohorts.new')}
    </button>
  ) : null;
  return (
    <>
      <PageHeader
        title={t('nav.cohorts')}
        lead={coordinator ? t('academy.cohorts.leadCoordinator') : t('academy.cohorts.leadFacilitator')}
        actions={newButton}
      />
      <ReadState
        read={cohorts}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState title={t('academy.cohorts.empty')} actions={newButton}>
              <p>{coordinator ? t('academy.cohorts.emptyCoordinator') : t('academy.cohorts.emptyFacilitator')}</p>
            </EmptyState>
          )
        }
      >
        {() => (
          <div className="table-wrap" role="region" tabIndex={0} aria-label={t('nav.cohorts')}>
            <table className="table">
              <caption className="visually-hidden">{t('nav.cohorts')}</caption>
              <thead>
                <tr>
                  <SortHeader id="name" label={t('academy.cohorts.name')} sort={sort} onSort={toggle} />
                  <SortHeader id="country" label={t('academy.cohorts.country')} sort={sort} onSort={toggle} />
                  <SortHeader id="language" label={t('academy.cohorts.language')} sort={sort} onSort={toggle} />
                  <SortHeader id="startsOn" label={t('academy.cohorts.dates')} sort={sort} onSort={toggle} />
                  <SortHeader id="enrolled" label={t('academy.cohorts.enrolled')} sort={sort} onSort={toggle} />
                  <SortHeader id="completed" label={t('academy.cohorts.completed')} sort={sort} onSort={toggle} />
                  <SortHeader id="overdue" label={t('academy.cohorts.overdue')} sort={sort} onSort={toggle} />
                </tr>
              </thead>
              <tbody>
                {sorted.map((c) => (
                  <tr key={c.id}>
                    <th scope="row">
                      <Link to={`/cohorts/${c.id}`} className="strong">
                        <bdi>{c.name}</bdi>
                      </Link>
                    </th>
                    <td>{country(c.memberState)}</td>
                    <td>
                      <bdi lang={c.language}>{LOCALE_NAMES[c.language] ?? c.language}</bdi>
                    </td>
                    <td className="nowrap">
                      <DayDate value={c.startsOn} /> – <DayDate value={c.endsOn} />
                    </td>
                    <td>
                      {t('academy.cohorts.ofCapacity', { enrolled: c.enrolled, capacity: c.capacity })}
                      {c.enrolled >= c.capacity ? (
                        <span className="chip chip-full">{t('academy.cohorts.full')}</span>
                      ) : null}
                    </td>
                    <td>{c.completed}</td>
                    <td>
                      {c.overdue > 0 ? (
                        <span className="chip chip-icon chip-overdue">
                          <Icon name="alert" />
                          {c.overdue}
                        </span>
                      ) : (
                        c.overdue
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </ReadState>
      <CountrySummary />
      {coordinator ? <NewCohortDialog open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
