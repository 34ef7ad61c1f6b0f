/** A participant's case (/cases/:id): header with phase progress and "reveal identity", and tabs. */
import '../../styles/casework.css';
import { lazy, Suspense, useRef, useState, type KeyboardEvent } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { useMe } from '../../api/queries';
import { daysSince } from '../../components/date-time';
import { Icon } from '../../components/icons';
import { usePageTitle } from '../../components/page';
import { ErrorAlert, Loading } from '../../components/states';
import { useContentLabel, useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { AlertList } from './alert-list';
import { useParticipant } from './api';
import { ConsentMissingNotice } from './consent-missing';
import type { CaseContext } from './case-context';
import { RevealDialog } from './reveal-dialog';
import { ScrollCue } from './scroll-cue';

const OverviewTab = lazy(() => import('../casework/overview-tab').then((m) => ({ default: m.OverviewTab })));
const PlanTab = lazy(() => import('../casework/plan-tab').then((m) => ({ default: m.PlanTab })));
const CaseSessionsTab = lazy(() =>
  import('../casework/case-sessions-tab').then((m) => ({ default: m.CaseSessionsTab })),
);
const ConsentTab = lazy(() => import('../casework/consent-tab').then((m) => ({ default: m.ConsentTab })));
const TeamTab = lazy(() => import('../casework/team-tab').then((m) => ({ default: m.TeamTab })));
const PhaseTab = lazy(() => import('../casework/phase-tab').then((m) => ({ default: m.PhaseTab })));
const TimelineTab = lazy(() => import('../casework/history-tabs').then((m) => ({ default: m.TimelineTab })));
const AssessmentsTab = lazy(() =>
  import('../assessments/assessments-tab').then((m) => ({ default: m.AssessmentsTab })),
);
const AccessTab = lazy(() => import('../casework/history-tabs').then((m) => ({ default: m.AccessTab })));

const TABS = ['overview', 'plan', 'assessments', 'sessions', 'consent', 'team', 'phase', 'timeline', 'access'] as const;
type Tab = (typeof TABS)[number];

/** The /cases/:id page. */
export function ParticipantPage() {
  const t = useT();
  const { id = '' } = useParams();
  const me = useMe().data;
  const q = useParticipant(id);
  const index = useProgramIndex();
  const [params, setParams] = useSearchParams();
  const tab: Tab = (TABS as readonly string[]).includes(params.get('tab') ?? '')
    ? (params.get('tab') as Tab)
    : 'overview';
  const [revealing, setRevealing] = useState(false);
  const tabRefs = useRef<(HTMLButtonElement | null)[]>([]);
  const pick = useLabel();
  const cl = useContentLabel();
  usePageTitle(q.data ? q.data.code : t('case.title'));

  if (q.isPending || index.programs.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  const program = p.programId ? index.byId.get(p.programId) : undefined;
  const phases = program?.definition.phases ?? [];
  const current = phases.findIndex((x) => x.key === p.phaseKey);
  const ctx: CaseContext = { participant: p, program, roles: me?.user.roles ?? [], userId: me?.user.id ?? '' };
  const setTab = (next: Tab, focus = false) => {
    const sp = new URLSearchParams(params);
    sp.set('tab', next);
    setParams(sp, { replace: true });
    if (focus) tabRefs.current[TABS.indexOf(next)]?.focus();
  };
  const onKey = (e: KeyboardEvent) => {
    const i = TABS.indexOf(tab);
    const rtl = document.documentElement.dir === 'rtl';
    let n = -1;
    if (e.key === (rtl ? 'ArrowLeft' : 'ArrowRight')) n = (i + 1) % TABS.length;
    else if (e.key === (rtl ? 'ArrowRight' : 'ArrowLeft')) n = (i - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') n = 0;
    else if (e.key === 'End') n = TABS.length - 1;
    if (n >= 0) {
      e.preventDefault();
      setTab(TABS[n]!, true);
    }
  };
  const days = daysSince(p.phaseEnteredAt);

  return (
    <>
      <p className="breadcrumb">
        <Link to="/cases">{t('case.backToCases')}</Link>
      </p>
      <div className="page-header case-header">
        <div>
          <h1 tabIndex={-1} id="page-title">
            <bdi className="code">{p.code}</bdi>
          </h1>
          <p className="lead">
            {program ? pick(program.definition.name) : t('cases.noProgram')} · {cl('legal', p.legalStatus)}
            {days !== null ? <> · {t('case.daysInPhase', { count: days })}</> : null}
          </p>
          {p.alerts && p.alerts.length > 0 ? <AlertList alerts={p.alerts} /> : null}
        </div>
        <div className="page-actions">
          <button type="button" className="btn" onClick={() => setRevealing(true)}>
            <Icon name="eye" />
            <span>{t('reveal.button')}</span>
          </button>
        </div>
      </div>
      <ConsentMissingNotice participantId={p.id} />
      {phases.length > 0 ? (
        <ScrollCue selector=".phase-scroll" active="[aria-current='step']" activeKey={p.phaseKey ?? ''}>
          <div
            className="phase-scroll"
            role="region"
            tabIndex={0}
            aria-label={t('case.phaseProgress', { n: current + 1, total: phases.length })}
          >
            <ol className="phase-track">
              {phases.map((ph, i) => (
                <li
                  key={ph.key}
                  className={i < current ? 'done' : i === current ? 'current' : undefined}
                  aria-current={i === current ? 'step' : undefined}
                >
                  <span className="phase-dot" aria-hidden="true">
                    {i < current ? <Icon name="check" /> : null}
                  </span>
                  <span className="phase-name">{pick(ph.name)}</span>
                  {i < current ? <span className="visually-hidden"> ({t('case.phase.done')})</span> : null}
                </li>
              ))}
            </ol>
          </div>
        </ScrollCue>
      ) : null}
      <ScrollCue selector=".tabs" active="[aria-selected='true']" activeKey={tab} className="tabs-cue">
        <div className="tabs" role="tablist" aria-label={t('case.tabs')} onKeyDown={onKey}>
          {TABS.map((x, i) => (
            <button
              key={x}
              ref={(el) => {
                tabRefs.current[i] = el;
              }}
              type="button"
              role="tab"
              id={`tab-${x}`}
              aria-selected={tab === x}
              aria-controls="tabpanel"
              tabIndex={tab === x ? 0 : -1}
              onClick={() => setTab(x)}
            >
              {t(`case.tab.${x}`)}
            </button>
          ))}
        </div>
      </ScrollCue>
      <section className="tabpanel" role="tabpanel" id="tabpanel" aria-labelledby={`tab-${tab}`} tabIndex={0}>
        <Suspense fallback={<Loading />}>
          {tab === 'overview' ? <OverviewTab ctx={ctx} onTab={(x) => setTab(x as Tab)} /> : null}
          {tab === 'plan' ? <PlanTab ctx={ctx} /> : null}
          {tab === 'assessments' ? <AssessmentsTab ctx={ctx} /> : null}
          {tab === 'sessions' ? <CaseSessionsTab ctx={ctx} /> : null}
          {tab === 'consent' ? <ConsentTab ctx={ctx} /> : null}
          {tab === 'team' ? <TeamTab ctx={ctx} /> : null}
          {tab === 'phase' ? <PhaseTab ctx={ctx} /> : null}
          {tab === 'timeline' ? <TimelineTab ctx={ctx} /> : null}
          {tab === 'access' ? <AccessTab ctx={ctx} /> : null}
        </Suspense>
      </section>
      <RevealDialog participantId={p.id} code={p.code} open={revealing} onClose={() => setRevealing(false)} />
    </>
  );
}
