/** One work list (my cases, or the teams I supervise): a reason filter and the cases grouped by urgency. */
import { Link } from 'react-router';
import type { WorkCaseRow, WorkReason } from './types';
import { DateTime } from '../../components/date-time';
import { EmptyState, ReadState } from '../../components/states';
import { useDynamicT, useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import type { useWork } from './api';

const GROUPS = ['decide', 'overdue', 'due_soon', 'open'] as const;

/** Where to act on a reason: the case page tab that holds it. */
const TAB: Record<WorkReason['kind'], string> = {
  handover_to_accept: 'team',
  plan_awaiting_approval: 'plan',
  gate_ready: 'phase',
  reassessment_due: 'assessments',
  plan_review_due: 'plan',
  board_review_due: 'phase',
  consent_expiring: 'consent',
  no_session: 'sessions',
  plan_not_approved: 'plan',
};

export function WorkSection(props: {
  read: ReturnType<typeof useWork>;
  heading: string | undefined;
  kind: string;
  onKind: (kind: string) => void;
  id: string;
  /** The user is on no team and supervises none: say how cases arrive instead of "0 cases". */
  noTeam?: boolean;
}) {
  const t = useT();
  const dt = useDynamicT();
  const index = useProgramIndex();
  const { read, heading, kind, onKind, id } = props;
  const body = (
    <ReadState
      read={read}
      empty={(data) =>
        data.cases === 0 && props.noTeam ? (
          <EmptyState title={t('work.noTeam')}>
            <p>{t('work.noTeam.body')}</p>
          </EmptyState>
        ) : (
          data.rows.length === 0 && (
            <EmptyState title={t('work.empty')}>
              <p>
                {t('work.empty.checked', {
                  overdue: data.counts.overdue,
                  soon: data.counts.due_soon,
                  count: data.cases,
                })}
              </p>
            </EmptyState>
          )
        )
      }
    >
      {(data) => {
        const kinds = [...new Set(data.rows.flatMap((r) => r.reasons.map((x) => x.kind)))];
        const rows = kind ? data.rows.filter((r) => r.reasons.some((x) => x.kind === kind)) : data.rows;
        return (
          <>
            <div className="work-filter" role="group" aria-label={t('work.filter')}>
              {['', ...kinds].map((k) => (
                <button
                  key={k || 'all'}
                  type="button"
                  className={kind === k ? 'btn btn-small btn-primary' : 'btn btn-small'}
                  aria-pressed={kind === k}
                  onClick={() => onKind(k)}
                >
                  {k ? dt(`work.kind.${k}`, 'work.kind.other') : t('work.filter.all')}
                </button>
              ))}
            </div>
            {rows.length === 0 ? <p className="muted">{t('work.filter.none')}</p> : null}
            {GROUPS.map((g) => {
              const inGroup = rows.filter((r) => r.urgency === g);
              if (!inGroup.length) return null;
              const hid = `work-${id}-${g}`;
              return (
                <section key={g} className={`work-group work-group-${g}`} aria-labelledby={hid}>
                  <h3 id={hid} className="work-group-title">
                    {t(`work.group.${g}`)}{' '}
                    <span className="work-count">{t('work.group.count', { count: inGroup.length })}</span>
                  </h3>
                  <ul className="work-rows">
                    {inGroup.map((r) => (
                      <CaseRow
                        key={r.participantId}
                        row={r}
                        kind={kind}
                        programName={index.programName}
                        phaseName={index.phaseName}
                      />
                    ))}
                  </ul>
                </section>
              );
            })}
          </>
        );
      }}
    </ReadState>
  );
  return heading ? (
    <section className="work-section" aria-labelledby={`work-section-${id}`}>
      <h2 id={`work-section-${id}`}>{heading}</h2>
      {body}
    </section>
  ) : (
    body
  );
}

function CaseRow(props: {
  row: WorkCaseRow;
  kind: string;
  programName: (id: string | null) => string;
  phaseName: (programId: string | null, key: string | null) => string;
}) {
  const t = useT();
  const dt = useDynamicT();
  const { row, kind } = props;
  const reasons = kind ? row.reasons.filter((x) => x.kind === kind) : row.reasons;
  return (
    <li className="card work-row">
      <div className="work-case">
        <bdi className="code strong">{row.code}</bdi>
        <span className="small muted">
          {row.programId ? (
            <>
              {props.programName(row.programId)} · {props.phaseName(row.programId, row.phaseKey)}
            </>
          ) : (
            t('cases.noProgram')
          )}
        </span>
      </div>
      <ul className="work-reasons">
        {reasons.map((x) => (
          <li key={x.kind} className={`work-reason work-reason-${x.urgency}`}>
            <span className="work-reason-what">
              <span className="strong">{dt(`work.kind.${x.kind}`, 'work.kind.other')}</span>
              {x.urgency === 'overdue' && x.daysLate !== null ? (
                <span className="work-late">{t('work.daysLate', { count: x.daysLate })}</span>
              ) : x.dueAt ? (
                <span className="small muted">
                  {t('work.due')} <DateTime value={x.dueAt} mode="date" />
                </span>
              ) : null}
            </span>
            <Link to={`/cases/${row.participantId}?tab=${TAB[x.kind]}`} className="work-act">
              {dt(`work.act.${x.kind}`, 'work.kind.other')}
              <span className="visually-hidden">
                {' '}
                (<bdi>{row.code}</bdi>)
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </li>
  );
}
