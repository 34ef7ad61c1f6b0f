/** Timeline (everything that happened on the case) and Access log (who read, revealed or changed it). */
import { DateTime } from '../../components/date-time';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useDynamicT, useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useProgramIndex } from '../programs/program-index';
import { useAccessLog, useTimeline } from './api';

/** The Timeline tab. */
export function TimelineTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const dt = useDynamicT();
  const cl = useContentLabel();
  const index = useProgramIndex();
  const q = useTimeline(ctx.participant.id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <EmptyState title={t('timeline.none')} />;
  const detail = (kind: string, d: Record<string, unknown>): string => {
    const s = (k: string) => (typeof d[k] === 'string' ? d[k] : '');
    if (kind.startsWith('phase_'))
      return t('phase.fromTo', {
        from: index.phaseName(ctx.participant.programId, s('from')),
        to: index.phaseName(ctx.participant.programId, s('to')),
      });
    if (kind === 'goal_added') return cl('domain', s('domain'));
    if (kind.startsWith('consent_')) return cl('consent', s('purpose'));
    if (kind === 'registered') return cl('legal', s('legalStatus'));
    if (typeof d.number === 'number') return t('plan.versionN', { n: d.number });
    return '';
  };
  return (
    <>
      <h2 className="visually-hidden">{t('case.tab.timeline')}</h2>
      <ol className="timeline">
        {q.data.items.map((e, i) => (
          <li key={`${e.at}-${i}`}>
            <DateTime value={e.at} />
            <p className="strong">{dt(`timeline.${e.kind}`, 'timeline.other', { kind: e.kind })}</p>
            {detail(e.kind, e.data) ? <p className="small muted">{detail(e.kind, e.data)}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

/** The Access log tab. */
export function AccessTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const dt = useDynamicT();
  const q = useAccessLog(ctx.participant.id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <EmptyState title={t('access.none')} />;
  return (
    <div className="table-wrap" role="region" tabIndex={0} aria-label={t('case.tab.access')}>
      <table className="table table-dense">
        <caption className="visually-hidden">{t('case.tab.access')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('access.when')}</th>
            <th scope="col">{t('access.who')}</th>
            <th scope="col">{t('access.action')}</th>
            <th scope="col">{t('access.purpose')}</th>
            <th scope="col">{t('access.outcome')}</th>
          </tr>
        </thead>
        <tbody>
          {q.data.items.map((e, i) => (
            <tr key={`${e.at}-${i}`}>
              <td>
                <DateTime value={e.at} />
              </td>
              <td>{e.actorName ? <bdi>{e.actorName}</bdi> : <span className="muted">—</span>}</td>
              <td>
                {dt(`access.action.${e.action}`, 'access.action.other')}{' '}
                <code className="small muted" dir="ltr">
                  {e.action}
                </code>
              </td>
              <td>
                {e.purpose ? (
                  dt(`reveal.purpose.${e.purpose}`, 'access.purpose.other', { purpose: e.purpose })
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td>
                <span className={`chip chip-outcome-${e.outcome}`}>
                  {dt(`audit.outcome.${e.outcome}`, 'access.outcome.other', { outcome: e.outcome })}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
