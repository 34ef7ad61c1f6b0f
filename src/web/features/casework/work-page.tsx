/**
 * My work: "what do I do now?". Cases grouped Overdue / Due soon / Open, one row per case with every
 * reason and a direct link to act on each. Supervisors see their teams' approvals and offers first.
 */
import '../../styles/casework.css';
import '../../styles/work.css';
import { useSearchParams } from 'react-router';
import { useCan } from '../../api/abilities';
import { PageHeader } from '../../components/page';
import { useT } from '../../i18n/use-t';
import { useWork } from './api';
import { WorkSection } from './work-section';

type View = 'all' | 'mine' | 'supervised';

/** The /work page. */
export function WorkPage() {
  const t = useT();
  // Supervisors and directors (who approve plans) also see the work of the teams they supervise.
  const lead = useCan()('plan.approve');
  const [params, setParams] = useSearchParams();
  const asked = params.get('view');
  // A supervisor's home shows both, their teams' approvals and offers first; others see their cases.
  const view: View = !lead ? 'mine' : asked === 'mine' || asked === 'supervised' ? asked : 'all';
  const mine = useWork('mine', view !== 'supervised');
  const supervised = useWork('supervised', view !== 'mine');
  const checked =
    (view !== 'supervised' ? (mine.data?.cases ?? 0) : 0) + (view !== 'mine' ? (supervised.data?.cases ?? 0) : 0);
  const loaded = (view === 'supervised' || mine.data) && (view === 'mine' || supervised.data);
  const setKind = (kind: string) => {
    const next = new URLSearchParams(params);
    if (kind) next.set('kind', kind);
    else next.delete('kind');
    setParams(next, { replace: true });
  };
  const kind = params.get('kind') ?? '';
  // On "everything", a list with no cases at all is left out (a supervisor who carries no cases of their
  // own, a member who supervises no team); with none in either, "my cases" says how cases arrive.
  const mineCases = mine.data?.cases ?? 1;
  const supervisedCases = supervised.data?.cases ?? 1;
  const showSupervised = view === 'supervised' || (view === 'all' && supervisedCases > 0);
  const showMine = view === 'mine' || (view === 'all' && (mineCases > 0 || supervisedCases === 0));

  return (
    <>
      <PageHeader title={t('work.title')} lead={loaded ? t('work.lead', { count: checked }) : undefined} />
      {lead ? (
        <div className="segmented" role="group" aria-label={t('work.view')}>
          {(['all', 'supervised', 'mine'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={view === v ? 'btn btn-primary' : 'btn'}
              aria-pressed={view === v}
              onClick={() => setParams(v === 'all' ? {} : { view: v }, { replace: true })}
            >
              {t(`work.view.${v}`)}
            </button>
          ))}
        </div>
      ) : null}
      {showSupervised ? (
        <WorkSection
          read={supervised}
          heading={view === 'all' ? t('work.view.supervised') : undefined}
          kind={kind}
          onKind={setKind}
          id="supervised"
        />
      ) : null}
      {showMine ? (
        <WorkSection
          read={mine}
          heading={view === 'all' && showSupervised ? t('work.view.mine') : undefined}
          kind={kind}
          onKind={setKind}
          id="mine"
          noTeam={mineCases === 0 && (!lead || supervisedCases === 0)}
        />
      ) : null}
    </>
  );
}
