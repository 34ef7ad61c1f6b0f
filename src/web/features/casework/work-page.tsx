/** My work: tasks and alerts for my cases; supervisors can switch to their supervised teams. */
import '../../styles/casework.css';
import { Link, useSearchParams } from 'react-router';
import { useCan } from '../../api/abilities';
import { DateTime } from '../../components/date-time';
import { Icon } from '../../components/icons';
import { PageHeader } from '../../components/page';
import { EmptyState, ReadState } from '../../components/states';
import { useDynamicT, useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { useWork } from './api';

/** The /work page. */
export function WorkPage() {
  const t = useT();
  const dt = useDynamicT();
  // Supervisors and directors (who approve plans) also see the work of the teams they supervise.
  const lead = useCan()('plan.approve');
  const [params, setParams] = useSearchParams();
  const view = lead && params.get('view') === 'supervised' ? 'supervised' : 'mine';
  const work = useWork(view);
  const index = useProgramIndex();
  /** The phase name from the item's own program. */
  const phaseLabel = (programId: string | null, key: string | null) => {
    if (!key || !programId) return t('cases.noProgram');
    return index.phaseName(programId, key);
  };

  return (
    <>
      <PageHeader title={t('work.title')} lead={work.data ? t('work.lead', { count: work.data.cases }) : undefined} />
      {lead ? (
        <div className="segmented" role="group" aria-label={t('work.view')}>
          {(['mine', 'supervised'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={view === v ? 'btn btn-primary' : 'btn'}
              aria-pressed={view === v}
              onClick={() => setParams(v === 'mine' ? {} : { view: v }, { replace: true })}
            >
              {t(`work.view.${v}`)}
            </button>
          ))}
        </div>
      ) : null}
      <ReadState
        read={work}
        empty={(data) =>
          data.items.length === 0 && (
            <EmptyState title={t('work.empty')}>
              <p>{t('work.empty.body')}</p>
            </EmptyState>
          )
        }
      >
        {(data) => (
          <ul className="work-list">
            {data.items.map((w, i) => (
              <li key={`${w.participantId}-${w.kind}-${i}`} className="card work-item">
                <span className="work-icon" aria-hidden="true">
                  <Icon
                    name={
                      w.kind === 'handover_to_accept' || w.kind === 'plan_awaiting_approval' || w.kind === 'gate_ready'
                        ? 'check'
                        : 'alert'
                    }
                  />
                </span>
                <span>
                  <Link
                    to={`/cases/${w.participantId}${w.kind === 'plan_awaiting_approval' ? '?tab=plan' : w.kind === 'gate_ready' ? '?tab=phase' : w.kind === 'handover_to_accept' ? '?tab=team' : ''}`}
                    className="strong"
                  >
                    {dt(`work.kind.${w.kind}`, 'work.kind.other')}
                    {' — '}
                    <bdi className="code">{w.code}</bdi>
                  </Link>
                  <br />
                  <span className="small muted">
                    {phaseLabel(w.programId, w.phaseKey)}
                    {w.dueAt ? (
                      <>
                        {' '}
                        · {t('work.due')} <DateTime value={w.dueAt} mode="date" />
                      </>
                    ) : null}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        )}
      </ReadState>
    </>
  );
}
