/** Cohorts (coordinators and facilitators): the cohorts I may see, a new-cohort dialog for coordinators, and progress per country. */
import '../../styles/academy.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { academyKeys, academyPaths, useCohorts, useCountryReport, type CohortInput, type CohortItem, type CountryRow } from '../../api/academy';
import { api } from '../../api/client';
import { useMe } from '../../api/queries';
import type { Locale } from '../../api/types';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { LOCALE_NAMES, LOCALES } from '../../i18n/locales';
import { useI18n } from '../../i18n/i18n-provider';
import { useT } from '../../i18n/use-t';
import { AcademyError, COUNTRY_CODES, DayDate, detailsByPath, useCodeMessage, useCountryName, usePercent } from './bits';
import { SortHeader, useSorted } from './sort';

const FIELDS = ['name', 'memberState', 'language', 'startsOn', 'endsOn', 'capacity', 'facilitatorIds'];

function NewCohortDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const t = useT();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { locale } = useI18n();
  const country = useCountryName();
  const code = useCodeMessage();
  const ids = { state: useId(), lang: useId() };
  const empty = { name: '', memberState: '', language: locale as Locale, startsOn: '', endsOn: '', capacity: '30' };
  const [form, setForm] = useState(empty);
  const set = (k: keyof typeof empty) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));
  const countries = useMemo(() => COUNTRY_CODES.map((c) => ({ c, name: country(c) })).sort((a, b) => a.name.localeCompare(b.name, locale)), [country, locale]);
  const create = useMutation({
    mutationFn: () => {
      const body: CohortInput = { ...form, name: form.name.trim(), capacity: Number(form.capacity), facilitatorIds: [] };
      return api<CohortItem>('POST', academyPaths.cohorts, { body });
    },
    onSuccess: (c) => {
      void qc.invalidateQueries({ queryKey: academyKeys.cohorts });
      void qc.invalidateQueries({ queryKey: academyKeys.countries });
      setForm(empty);
      onClose();
      navigate(`/cohorts/${c.id}`);
    },
  });
  const [datesWrong, setDatesWrong] = useState(false);
  const errs = detailsByPath(create.error);
  const close = () => {
    create.reset();
    onClose();
  };
  const err = (k: string) => (k === 'endsOn' && (datesWrong || errs.endsOn === 'custom') ? t('academy.cohorts.endsBeforeStart') : code(errs[k]));
  return (
    <Dialog open={open} title={t('academy.cohorts.new')} onClose={close}>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const wrong = Boolean(form.startsOn && form.endsOn && form.endsOn < form.startsOn);
          setDatesWrong(wrong);
          if (!wrong) create.mutate();
        }}
      >
        {create.isError ? <AcademyError error={create.error} fields={FIELDS} /> : null}
        {datesWrong ? (
          <p className="alert alert-error" role="alert">
            {t('academy.cohorts.endsBeforeStart')}
          </p>
        ) : null}
        <Field label={t('academy.cohorts.name')} required maxLength={120} dir="auto" autoComplete="off" value={form.name} error={err('name')} onChange={set('name')} />
        <div className="form-grid">
          <div className={`field${errs.memberState ? ' field-invalid' : ''}`}>
            <label htmlFor={ids.state}>{t('academy.cohorts.country')}</label>
            <select id={ids.state} required value={form.memberState} aria-invalid={errs.memberState ? true : undefined} aria-describedby={errs.memberState ? `${ids.state}-err` : undefined} onChange={set('memberState')}>
              <option value="">{t('academy.cohorts.chooseCountry')}</option>
              {countries.map(({ c, name }) => (
                <option key={c} value={c}>
                  {name} ({c})
                </option>
              ))}
            </select>
            {errs.memberState ? (
              <p className="field-error" id={`${ids.state}-err`}>
                {err('memberState')}
              </p>
            ) : null}
          </div>
          <div className={`field${errs.language ? ' field-invalid' : ''}`}>
            <label htmlFor={ids.lang}>{t('academy.cohorts.language')}</label>
            <select id={ids.lang} value={form.language} onChange={set('language')}>
              {LOCALES.map((l) => (
                <option key={l} value={l} lang={l}>
                  {LOCALE_NAMES[l]}
                </option>
              ))}
            </select>
          </div>
          <Field label={t('academy.cohorts.startsOn')} type="date" required value={form.startsOn} error={err('startsOn')} onChange={set('startsOn')} />
          <Field label={t('academy.cohorts.endsOn')} type="date" required min={form.startsOn || undefined} value={form.endsOn} error={err('endsOn')} onChange={set('endsOn')} />
          <Field label={t('academy.cohorts.capacity')} type="number" inputMode="numeric" required min={1} max={5000} step={1} value={form.capacity} error={err('capacity')} onChange={set('capacity')} />
        </div>
        <p className="hint">{t('academy.cohorts.facilitatorsHint')}</p>
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
    <section aria-labelledby="by-country" className="section">
      <h2 id="by-country">{t('academy.countries.title')}</h2>
      {report.isPending ? (
        <Loading />
      ) : report.isError ? (
        <ErrorAlert error={report.error} onRetry={() => void report.refetch()} />
      ) : report.data.items.length === 0 ? (
        <p className="muted">{t('academy.countries.empty')}</p>
      ) : (
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
                    {r.learners > 0 ? <span className="muted small"> ({percent(Math.round((r.completed / r.learners) * 100))})</span> : null}
                  </td>
                  <td>{r.overdue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

/** The /cohorts page. */
export function CohortsPage() {
  const t = useT();
  const me = useMe().data;
  const country = useCountryName();
  const coordinator = (me?.user.roles ?? []).includes('coordinator');
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
        actions={
newButton
        }
      />
      {cohorts.isPending ? (
        <Loading />
      ) : cohorts.isError ? (
        <ErrorAlert error={cohorts.error} onRetry={() => void cohorts.refetch()} />
      ) : cohorts.data.items.length === 0 ? (
        <EmptyState title={t('academy.cohorts.empty')} actions={newButton}>
          <p>{coordinator ? t('academy.cohorts.emptyCoordinator') : t('academy.cohorts.emptyFacilitator')}</p>
        </EmptyState>
      ) : (
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
                    {c.enrolled >= c.capacity ? <span className="chip chip-full">{t('academy.cohorts.full')}</span> : null}
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
      <CountrySummary />
      {coordinator ? <NewCohortDialog open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}
