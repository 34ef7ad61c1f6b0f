/** Overview: plan progress per domain, last session, open work items for this case. */
import { useIntl } from 'react-intl';
import { useCan } from '../../api/abilities';
import { DateTime, daysSince } from '../../components/date-time';
import { Loading } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useDynamicT, useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { usePlan, useWork } from './api';

/** The Overview tab. */
export function OverviewTab({ ctx, onTab }: { ctx: CaseContext; onTab: (tab: string) => void }) {
  const t = useT();
  const dt = useDynamicT();
  const intl = useIntl();
  const cl = useContentLabel();
  const plan = usePlan(ctx.participant.id);
  const mine = useWork('mine');
  const lead = useCan()('plan.approve');
  const supervised = useWork('supervised');
  const work = [...(mine.data?.items ?? []), ...(lead ? (supervised.data?.items ?? []) : [])].filter(
    (w) => w.participantId === ctx.participant.id,
  );
  const kinds = [...new Set(work.map((w) => w.kind))];
  const goals = plan.data?.goals ?? [];
  const domains = [...new Set(goals.map((g) => g.domain))];
  const last = ctx.participant.lastSessionAt;
  const since = daysSince(last);

  return (
    <div className="overview-grid">
      <section className="card" aria-labelledby="ov-plan">
        <h2 id="ov-plan">{t('overview.plan')}</h2>
        {plan.isPending ? (
          <Loading />
        ) : goals.length === 0 ? (
          <p className="muted">{t('plan.empty.body')}</p>
        ) : (
          <ul className="domain-progress">
            {domains.map((d) => {
              const gs = goals.filter((g) => g.domain === d && g.status !== 'discontinued');
              const avg = gs.length ? Math.round(gs.reduce((s, g) => s + g.progress, 0) / gs.length) : 0;
              return (
                <li key={d}>
                  <span>{cl('domain', d)}</span>
                  <progress max={100} value={avg} aria-label={cl('domain', d)} />
                  <span className="small">
                    {intl.formatNumber(avg / 100, { style: 'percent' })} · {t('overview.goals', { count: gs.length })}
                  </span>
                </li>
              );
            })}
          </ul>
        )}
        <p>
          <button type="button" className="link-button" onClick={() => onTab('plan')}>
            {t('overview.openPlan')}
          </button>
        </p>
      </section>
      <section className="card" aria-labelledby="ov-sessions">
        <h2 id="ov-sessions">{t('overview.sessions')}</h2>
        <dl className="kv">
          <dt>{t('overview.lastSession')}</dt>
          <dd>
            {last ? (
              <>
                <DateTime value={last} />{' '}
                {since !== null ? <span className="muted">({t('overview.daysAgo', { count: since })})</span> : null}
              </>
            ) : (
              t('cases.never')
            )}
          </dd>
          <dt>{t('overview.nextSession')}</dt>
          <dd className="muted">{t('overview.nextSession.none')}</dd>
        </dl>
        <p>
          <button type="button" className="link-button" onClick={() => onTab('sessions')}>
            {t('overview.recordSession')}
          </button>
        </p>
      </section>
      <section className="card" aria-labelledby="ov-work">
        <h2 id="ov-work">{t('overview.work')}</h2>
        {mine.isPending ? (
          <Loading />
        ) : kinds.length === 0 ? (
          <p className="muted">{t('overview.work.none')}</p>
        ) : (
          <ul className="link-list">
            {kinds.map((k) => (
              <li key={k}>{dt(`work.kind.${k}`, 'work.kind.other')}</li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
