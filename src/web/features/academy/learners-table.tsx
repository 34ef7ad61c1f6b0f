/** A cohort's learners with their progress, grades and certificates (sortable), and the coordinator's row actions. */
import '../../styles/stack.css';
import { useMemo } from 'react';
import { Icon } from '../../components/icons';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { DayDate, ModulesProgress, usePercent } from './bits';
import { SortHeader, useSorted } from '../../components/sort';
import type { CohortDetail, LearnerRow } from './types';

export interface RowActions {
  onGrant: (r: LearnerRow) => void;
  onRevoke: (r: LearnerRow) => void;
  /** Sends a pending invitation again. */
  onResend: (r: LearnerRow) => void;
  /** The learner whose invitation is being sent again. */
  resending?: string | null;
}

export function LearnersTable({ cohort, actions }: { cohort: CohortDetail; actions?: RowActions }) {
  const t = useT();
  const text = useLabel();
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
      <table className="table learners-table table-stack">
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
          {sorted.map((r) =>
            r.account === 'invited' ? (
              <tr key={r.enrolmentId} className="learner-pending">
                <th scope="row">
                  <bdi>{r.name}</bdi>
                </th>
                <td>
                  <bdi dir="ltr" className="small">
                    {r.email}
                  </bdi>
                </td>
                {/* A pending invitation has no progress or scores: one cell says so, across those columns. */}
                <td colSpan={cohort.modules.length + 4}>
                  <span className="chip chip-icon chip-invited">
                    <Icon name="pending" />
                    {t('academy.account.invited')}
                  </span>{' '}
                  {r.invitedAt ? (
                    <span className="small muted">
                      {t('academy.pending.sentOn')} <DayDate value={r.invitedAt} />
                    </span>
                  ) : null}
                </td>
                {actions ? (
                  <td className="row-actions learner-actions">
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={actions.resending === r.enrolmentId}
                      onClick={() => actions.onResend(r)}
                    >
                      {t('academy.pending.resend')}
                      <span className="visually-hidden">
                        {' '}
                        <bdi>{r.name}</bdi>
                      </span>
                    </button>
                  </td>
                ) : null}
              </tr>
            ) : (
              <tr key={r.enrolmentId}>
                <th scope="row">
                  <bdi>{r.name}</bdi>
                  {r.account !== 'active' ? (
                    <span className={`chip chip-${r.account}`}>{t(`academy.account.${r.account}`)}</span>
                  ) : null}
                </th>
                <td data-label={t('academy.invite.email')}>
                  <bdi dir="ltr" className="small">
                    {r.email}
                  </bdi>
                </td>
                <td className="cell-progress" data-label={t('academy.cohort.col.modules')}>
                  <ModulesProgress done={r.modulesComplete ?? 0} total={r.modulesTotal} />
                </td>
                <td className="nowrap" data-label={t('academy.cohort.col.current')}>
                  {r.complete
                    ? t('academy.course.complete')
                    : r.current
                      ? t('academy.module.number', { n: moduleNo(r.current) })
                      : '—'}
                </td>
                {cohort.modules.map((m) => {
                  const g = r.grades[m.id];
                  return (
                    <td key={m.id} data-label={t('academy.cohort.col.quiz', { n: moduleNo(m.id) })}>
                      {g === null || g === undefined ? <span className="muted">—</span> : percent(g)}
                    </td>
                  );
                })}
                <td data-label={t('academy.cohorts.overdue')}>
                  {r.overdue ? (
                    <>
                      <span className="chip chip-icon chip-overdue">
                        <Icon name="alert" />
                        {t('academy.overdue')}
                      </span>
                      {r.late ? (
                        <span className="small nowrap late-by">
                          {t('academy.cohort.lateBy', { n: moduleNo(r.late.module), days: r.late.daysLate })}
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="muted">{t('academy.cohort.onTrack')}</span>
                  )}
                </td>
                <td data-label={t('academy.cohort.col.certificate')}>
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
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}
