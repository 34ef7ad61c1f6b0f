/** Timeline (everything that happened on the case) and Access log (who read, revealed or changed it). */
import '../../styles/stack.css';
import { useId, useState } from 'react';
import { DateTime } from '../../components/date-time';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useDynamicT, useT } from '../../i18n/use-t';
import { useAuditWords } from '../audit/words';
import '../audit/audit.css';
import type { CaseContext } from '../participants/case-context';
import { useProgramIndex } from '../programs/program-index';
import { useAccessLog, useTimeline } from './api';
import type { TimelineEntry } from './types';

type Order = 'newest' | 'oldest';

/** Newest first (as the server sends) or oldest first. */
function ordered<T extends { at: string }>(items: readonly T[], order: Order): T[] {
  return order === 'newest' ? [...items] : [...items].reverse();
}

/** The order switch above a history list: newest first unless the user turns it round. */
function OrderSwitch({ order, onChange }: { order: Order; onChange: (o: Order) => void }) {
  const t = useT();
  const id = useId();
  return (
    <div className="audit-order">
      <label htmlFor={id} className="small">
        {t('audit.sort.label')}{' '}
        <select id={id} value={order} onChange={(e) => onChange(e.target.value === 'oldest' ? 'oldest' : 'newest')}>
          <option value="newest">{t('audit.sort.newest')}</option>
          <option value="oldest">{t('audit.sort.oldest')}</option>
        </select>
      </label>
    </div>
  );
}

/** Who did it, as far as the viewer may know: "By you", "By <name> (<discipline>)", or only the role. */
function ActorLine({ actor }: { actor: TimelineEntry['actor'] }) {
  const t = useT();
  const words = useAuditWords();
  if (!actor) return null;
  const role = actor.role ? words.role(actor.role) : null;
  if (actor.self)
    return (
      <p className="small audit-actor">
        <bdi>{t('audit.timeline.byYou')}</bdi>
      </p>
    );
  const who = actor.name
    ? role
      ? `${actor.name} (${role})`
      : actor.name
    : role
      ? t('audit.timeline.otherTeam', { role })
      : t('audit.timeline.someone');
  return (
    <p className="small audit-actor">
      <bdi>{t('audit.timeline.by', { actor: who })}</bdi>
    </p>
  );
}

/** The Timeline tab. */
export function TimelineTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const dt = useDynamicT();
  const cl = useContentLabel();
  const index = useProgramIndex();
  const q = useTimeline(ctx.participant.id);
  const [order, setOrder] = useState<Order>('newest');
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
      <OrderSwitch order={order} onChange={setOrder} />
      <ol className="timeline">
        {ordered(q.data.items, order).map((e, i) => (
          <li key={`${e.at}-${e.kind}-${i}`}>
            <DateTime value={e.at} />
            <p className="strong" title={e.kind}>
              {dt(`timeline.${e.kind}`, 'timeline.other', { kind: e.kind })}
            </p>
            {detail(e.kind, e.data) ? <p className="small muted">{detail(e.kind, e.data)}</p> : null}
            <ActorLine actor={e.actor} />
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
  const words = useAuditWords();
  const q = useAccessLog(ctx.participant.id);
  const [order, setOrder] = useState<Order>('newest');
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.items.length === 0) return <EmptyState title={t('access.none')} />;
  const col = {
    when: t('access.when'),
    who: t('access.who'),
    action: t('access.action'),
    purpose: t('access.purpose'),
    outcome: t('access.outcome'),
  };
  return (
    <>
      <h2 className="visually-hidden">{t('case.tab.access')}</h2>
      <OrderSwitch order={order} onChange={setOrder} />
      {/* Focusable: a long log scrolls inside its frame. */}
      <div className="table-wrap" role="region" tabIndex={0} aria-label={t('case.tab.access')}>
        <table className="table table-dense table-stack">
          <caption className="visually-hidden">{t('case.tab.access')}</caption>
          <thead>
            <tr>
              <th scope="col" aria-sort={order === 'newest' ? 'descending' : 'ascending'}>
                {col.when}
              </th>
              <th scope="col">{col.who}</th>
              <th scope="col">{col.action}</th>
              <th scope="col">{col.purpose}</th>
              <th scope="col">{col.outcome}</th>
            </tr>
          </thead>
          <tbody>
            {ordered(q.data.items, order).map((e, i) => (
              <tr key={`${e.at}-${i}`}>
                <td data-label={col.when}>
                  <div>
                    <DateTime value={e.at} />
                  </div>
                </td>
                <td data-label={col.who}>
                  <div>{e.actorName ? <bdi>{e.actorName}</bdi> : <span className="muted">—</span>}</div>
                </td>
                <td data-label={col.action}>
                  <div className="audit-action" title={t('audit.actionCode', { code: e.action })}>
                    {words.action(e.action)}
                  </div>
                </td>
                <td data-label={col.purpose}>
                  <div>{e.purpose ? words.purpose(e.purpose).words : <span className="muted">—</span>}</div>
                </td>
                <td data-label={col.outcome}>
                  <div>
                    <span className={`chip chip-outcome-${e.outcome}`}>
                      {dt(`audit.outcome.${e.outcome}`, 'access.outcome.other', { outcome: e.outcome })}
                    </span>
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
