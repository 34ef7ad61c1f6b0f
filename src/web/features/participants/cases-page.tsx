/** Caseload: the participants of the user's case teams, with filters, sortable columns and alerts. */
import '../../styles/casework.css';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useCan } from '../../api/abilities';
import { DateTime, daysSince } from '../../components/date-time';
import { Icon } from '../../components/icons';
import { SortHeader } from '../../components/sort';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page';
import { EmptyState, ReadState } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import type { MessageKey } from '../../i18n/locales';
import { useDynamicT, useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { AlertList } from './alert-list';
import { useParticipants } from './api';
import { FILTER_ALERTS } from './vocabulary';

type SortKey = 'code' | 'phaseEntered' | 'lastSession' | 'created';

/** The /cases page. */
export function CasesPage() {
  const t = useT();
  const dt = useDynamicT();
  const pick = useLabel();
  const ids = { q: useId(), program: useId(), phase: useId(), alert: useId() };
  const [params, setParams] = useSearchParams();
  const get = (k: string) => params.get(k) ?? '';
  const filters = { programId: get('programId'), phase: get('phase'), alert: get('alert'), q: get('q') };
  const sort = (get('sort') || 'created') as SortKey;
  const dir = get('dir') === 'asc' ? 'asc' : 'desc';
  const [draft, setDraft] = useState(filters.q);
  useEffect(() => setDraft(filters.q), [filters.q]);
  const index = useProgramIndex();
  const canCreate = useCan()('participant.create');

  const list = useParticipants({
    programId: filters.programId || undefined,
    phase: filters.phase || undefined,
    alert: filters.alert || undefined,
    q: filters.q || undefined,
    sort,
    dir,
  });

  const setFilter = (next: Record<string, string>) => {
    const p = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) p.set(k, v);
      else p.delete(k);
    }
    setParams(p, { replace: true });
  };
  const filtered = Boolean(filters.programId || filters.phase || filters.alert || filters.q);
  const clear = () => setFilter({ programId: '', phase: '', alert: '', q: '' });

  const phaseOptions = useMemo(() => {
    const source = filters.programId ? index.list.filter((p) => p.id === filters.programId) : index.list;
    const seen = new Map<string, string>();
    for (const p of source)
      for (const ph of p.definition.phases) if (!seen.has(ph.key)) seen.set(ph.key, pick(ph.name, ph.key));
    return [...seen.entries()];
  }, [index.list, filters.programId, pick]);

  const header = (key: SortKey | null, label: MessageKey) => {
    if (!key) return <th scope="col">{t(label)}</th>;
    // The server sorts; a new column starts newest first.
    const onSort = () => setFilter({ sort: key, dir: sort === key && dir === 'desc' ? 'asc' : 'desc' });
    return <SortHeader id={key} label={t(label)} sort={{ key: sort, dir }} onSort={onSort} />;
  };

  const addButton = canCreate ? (
    <Link to="/cases/new" className="btn btn-primary">
      <Icon name="plus" />
      <span>{t('cases.add')}</span>
    </Link>
  ) : null;

  return (
    <>
      <PageHeader title={t('cases.title')} lead={t('cases.lead')} actions={addButton} />
      <form
        className="filter-bar"
        role="search"
        aria-label={t('cases.filters')}
        onSubmit={(e) => {
          e.preventDefault();
          setFilter({ q: draft.trim() });
        }}
      >
        <div className="field">
          <label htmlFor={ids.q}>{t('cases.search')}</label>
          <input
            id={ids.q}
            type="search"
            dir="ltr"
            maxLength={32}
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={ids.program}>{t('cases.program')}</label>
          <select
            id={ids.program}
            value={filters.programId}
            onChange={(e) => setFilter({ programId: e.target.value, phase: '' })}
          >
            <option value="">{t('cases.program.all')}</option>
            {index.list.map((p) => (
              <option key={p.id} value={p.id}>
                {pick(p.definition.name)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.phase}>{t('cases.phase')}</label>
          <select id={ids.phase} value={filters.phase} onChange={(e) => setFilter({ phase: e.target.value })}>
            <option value="">{t('cases.phase.all')}</option>
            {phaseOptions.map(([k, name]) => (
              <option key={k} value={k}>
                {name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={ids.alert}>{t('cases.alert')}</label>
          <select id={ids.alert} value={filters.alert} onChange={(e) => setFilter({ alert: e.target.value })}>
            <option value="">{t('cases.alert.all')}</option>
            {FILTER_ALERTS.map((a) => (
              <option key={a} value={a}>
                {dt(`alert.${a}`, 'alert.unknown')}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-actions">
          <button type="submit" className="btn">
            {t('action.search')}
          </button>
          {filtered ? (
            <button type="button" className="btn btn-quiet" onClick={clear}>
              {t('action.clearFilters')}
            </button>
          ) : null}
        </div>
      </form>

      <ReadState
        read={list}
        empty={() =>
          list.items.length === 0 &&
          (filtered ? (
            <EmptyState
              title={t('list.noResults')}
              actions={
                <button type="button" className="btn" onClick={clear}>
                  {t('action.clearFilters')}
                </button>
              }
            >
              <p>{t('cases.noResults')}</p>
            </EmptyState>
          ) : (
            <EmptyState title={t('cases.empty.title')} actions={addButton}>
              <p>{canCreate ? t('cases.empty.howTo') : t('cases.empty.body')}</p>
            </EmptyState>
          ))
        }
      >
        {() => (
          <>
            <ul className="case-cards" aria-label={t('cases.title')}>
              {list.items.map((p) => {
                const days = daysSince(p.phaseEnteredAt);
                return (
                  <li key={p.id}>
                    <Link to={`/cases/${p.id}`} className="case-card">
                      <div className="case-card-head">
                        <bdi className="code">{p.code}</bdi>
                        <span className={`chip chip-plan-${p.planStatus}`}>
                          {t('cases.col.plan')}: {dt(`plan.status.${p.planStatus}`, 'plan.status.unknown')}
                        </span>
                      </div>
                      <div className="case-card-phase">
                        {p.programId ? (
                          <>
                            <span className="small muted">{index.programName(p.programId)}</span>{' '}
                            <span className="chip chip-phase">{index.phaseName(p.programId, p.phaseKey)}</span>
                            {days === null ? null : (
                              <span className="small muted nowrap"> · {t('cases.days', { count: days })}</span>
                            )}
                          </>
                        ) : (
                          <span className="muted">{t('cases.noProgram')}</span>
                        )}
                      </div>
                      <div className="case-card-row">
                        <span className="case-card-label">{t('cases.col.alerts')}</span>
                        <AlertList alerts={p.alerts} />
                      </div>
                      <div className="case-card-row">
                        <span className="case-card-label">{t('cases.col.lastSession')}</span>
                        <span className="nowrap">
                          {p.lastSessionAt ? (
                            <DateTime value={p.lastSessionAt} mode="date" />
                          ) : (
                            <span className="muted">{t('cases.never')}</span>
                          )}
                        </span>
                      </div>
                    </Link>
                  </li>
                );
              })}
            </ul>
            <div className="table-wrap cases-table" role="region" tabIndex={0} aria-label={t('cases.title')}>
              <table className="table">
                <caption className="visually-hidden">{t('cases.title')}</caption>
                <thead>
                  <tr>
                    {header('code', 'cases.col.code')}
                    {header(null, 'cases.col.phase')}
                    {header('phaseEntered', 'cases.col.daysInPhase')}
                    {header(null, 'cases.col.plan')}
                    {header('lastSession', 'cases.col.lastSession')}
                    {header(null, 'cases.col.alerts')}
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((p) => {
                    const days = daysSince(p.phaseEnteredAt);
                    return (
                      <tr key={p.id}>
                        <td>
                          <Link to={`/cases/${p.id}`} className="strong">
                            <bdi className="code">{p.code}</bdi>
                          </Link>
                        </td>
                        <td>
                          {p.programId ? (
                            <>
                              <span className="small muted">{index.programName(p.programId)}</span>
                              <br />
                              <span className="chip chip-phase">{index.phaseName(p.programId, p.phaseKey)}</span>
                            </>
                          ) : (
                            <span className="muted">{t('cases.noProgram')}</span>
                          )}
                        </td>
                        <td>{days === null ? <span className="muted">—</span> : t('cases.days', { count: days })}</td>
                        <td>
                          <span className={`chip chip-plan-${p.planStatus}`}>
                            {dt(`plan.status.${p.planStatus}`, 'plan.status.unknown')}
                          </span>
                        </td>
                        <td className="nowrap">
                          {p.lastSessionAt ? (
                            <DateTime value={p.lastSessionAt} mode="date" />
                          ) : (
                            <span className="muted">{t('cases.never')}</span>
                          )}
                        </td>
                        <td>
                          <AlertList alerts={p.alerts} />
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <ListFooter list={list} />
          </>
        )}
      </ReadState>
    </>
  );
}
