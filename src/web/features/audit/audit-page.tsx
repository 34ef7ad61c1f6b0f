/** Audit log viewer (dpo): filters, newest-first table, keyset paging, chain verification, head export. */
import '../../styles/stack.css';
import { useEffect, useId, useMemo, useState, type FormEvent } from 'react';
import { useIntl } from 'react-intl';
import { useSearchParams } from 'react-router';
import { DateTime } from '../../components/date-time';
import { saveTextAs } from '../../components/download';
import { Icon } from '../../components/icons';
import { ListFooter } from '../../components/list-footer';
import { PageHeader } from '../../components/page';
import { EmptyState, ErrorAlert, ReadState } from '../../components/states';
import type { MessageKey } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import { AUDIT_ACTIONS, AUDIT_ENTITY_TYPES } from '../../../core/audit-actions';
import { useAuditEvents, useExportAuditHeads, useVerifyAudit, type AuditProblem, type AuditVerify } from './api';
import { useAuditWords } from './words';
import './audit.css';

/** First block of a UUID (the full value is in the title and used for filtering). */
function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f-]{27}$/i.test(id) ? `${id.slice(0, 8)}…` : id;
}

const FILTERS = ['actorEmail', 'action', 'entityType', 'entityId', 'from', 'to'] as const;
type FilterName = (typeof FILTERS)[number];
type Filters = Record<FilterName, string>;

const LABELS: Record<FilterName, MessageKey> = {
  actorEmail: 'audit.filter.actorEmail',
  entityType: 'audit.filter.entityType',
  entityId: 'audit.filter.entityId',
  action: 'audit.filter.action',
  from: 'audit.filter.from',
  to: 'audit.filter.to',
};

function readFilters(params: URLSearchParams): Filters {
  return Object.fromEntries(FILTERS.map((f) => [f, params.get(f) ?? ''])) as Filters;
}

/** yyyy-mm-dd (local day) → ISO instant at the start or end of that day. */
function dayToIso(day: string, end: boolean): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T${end ? '23:59:59.999' : '00:00:00'}`);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** The /audit page. */
export function AuditPage() {
  const t = useT();
  const words = useAuditWords();
  const intl = useIntl();
  const baseId = useId();
  // The actions in words, in the order of the words (the value sent is the code).
  const actionOptions = useMemo(
    () =>
      AUDIT_ACTIONS.map((code) => ({ code, words: words.action(code) })).sort((a, b) =>
        a.words.localeCompare(b.words, intl.locale),
      ),
    [words, intl.locale],
  );
  const entityOptions = useMemo(
    () =>
      AUDIT_ENTITY_TYPES.map((code) => ({ code, words: words.entity(code) })).sort((a, b) =>
        a.words.localeCompare(b.words, intl.locale),
      ),
    [words, intl.locale],
  );
  const [params, setParams] = useSearchParams();
  const applied = readFilters(params);
  const [draft, setDraft] = useState<Filters>(applied);
  const paramsKey = params.toString();
  useEffect(() => setDraft(readFilters(new URLSearchParams(paramsKey))), [paramsKey]);

  const query = {
    actorEmail: applied.actorEmail || undefined,
    entityType: applied.entityType || undefined,
    entityId: applied.entityId || undefined,
    action: applied.action || undefined,
    from: dayToIso(applied.from, false),
    to: dayToIso(applied.to, true),
  };
  const list = useAuditEvents(query);
  const verify = useVerifyAudit();
  const heads = useExportAuditHeads({
    onSuccess: (data) => {
      const text = typeof data === 'string' ? data : JSON.stringify(data, null, 2);
      saveTextAs(`sanad-audit-heads-${new Date().toISOString().slice(0, 10)}.json`, text, 'application/json');
    },
  });

  const apply = (next: Partial<Filters>, replace = false) => {
    const merged = replace ? { ...Object.fromEntries(FILTERS.map((f) => [f, ''])), ...next } : { ...applied, ...next };
    const p = new URLSearchParams();
    for (const f of FILTERS) if (merged[f]) p.set(f, merged[f].trim());
    setParams(p);
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    apply(draft, true);
  };
  const filtered = FILTERS.some((f) => applied[f]);

  return (
    <>
      <PageHeader
        title={t('audit.title')}
        lead={t('audit.lead')}
        actions={
          <>
            <button type="button" className="btn" onClick={() => verify.mutate()} disabled={verify.isPending}>
              <Icon name="shield" />
              {verify.isPending ? t('audit.verifying') : t('audit.verify')}
            </button>
            <button type="button" className="btn" onClick={() => heads.mutate()} disabled={heads.isPending}>
              <Icon name="download" />
              {t('audit.exportHeads')}
            </button>
          </>
        }
      />
      {verify.isError ? <ErrorAlert error={verify.error} /> : null}
      {heads.isError ? <ErrorAlert error={heads.error} /> : null}
      {verify.data ? <VerifyResult result={verify.data} /> : null}

      <form className="filter-bar" role="search" aria-label={t('audit.filters')} onSubmit={onSubmit}>
        {FILTERS.map((f) => (
          <div className="field" key={f}>
            <label htmlFor={`${baseId}-${f}`}>{t(LABELS[f])}</label>
            {f === 'action' || f === 'entityType' ? (
              <select
                id={`${baseId}-${f}`}
                value={draft[f]}
                onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
              >
                <option value="">{t(f === 'action' ? 'audit.filter.anyAction' : 'audit.filter.anyRecord')}</option>
                {/* A code in the address that Sanad no longer writes still filters, shown as it is. */}
                {draft[f] && !(f === 'action' ? actionOptions : entityOptions).some((o) => o.code === draft[f]) ? (
                  <option value={draft[f]}>{draft[f]}</option>
                ) : null}
                {(f === 'action' ? actionOptions : entityOptions).map((o) => (
                  <option key={o.code} value={o.code}>
                    {o.words}
                  </option>
                ))}
              </select>
            ) : (
              <input
                id={`${baseId}-${f}`}
                type={f === 'from' || f === 'to' ? 'date' : f === 'actorEmail' ? 'email' : 'text'}
                dir={f === 'from' || f === 'to' ? undefined : 'ltr'}
                spellCheck={false}
                autoComplete="off"
                value={draft[f]}
                onChange={(e) => setDraft({ ...draft, [f]: e.target.value })}
              />
            )}
          </div>
        ))}
        <div className="filter-actions">
          <button type="submit" className="btn btn-primary">
            {t('action.applyFilters')}
          </button>
          {filtered ? (
            <button type="button" className="btn btn-quiet" onClick={() => apply({}, true)}>
              {t('action.clearFilters')}
            </button>
          ) : null}
        </div>
      </form>

      {applied.entityId ? (
        <p className="alert alert-info" role="status">
          {t('audit.recordFocus', { type: applied.entityType ? words.entity(applied.entityType) : '—' })}{' '}
          <code dir="ltr">{applied.entityId}</code>
        </p>
      ) : null}

      <ReadState
        read={list}
        empty={() =>
          list.items.length === 0 &&
          (filtered ? (
            <EmptyState
              title={t('list.noResults')}
              actions={
                <button type="button" className="btn" onClick={() => apply({}, true)}>
                  {t('action.clearFilters')}
                </button>
              }
            >
              <p>{t('audit.noResults')}</p>
            </EmptyState>
          ) : (
            <EmptyState title={t('audit.empty')} />
          ))
        }
      >
        {() => (
          <>
            <div className="table-wrap">
              <table className="table table-dense table-stack">
                <caption className="visually-hidden">{t('audit.caption')}</caption>
                <thead>
                  <tr>
                    <th scope="col" aria-sort="descending">
                      <span className="th-sort">
                        {t('audit.col.at')}
                        <span className="sort-mark" aria-hidden="true">
                          ↓
                        </span>
                      </span>
                    </th>
                    <th scope="col">{t('audit.col.actor')}</th>
                    <th scope="col">{t('audit.col.action')}</th>
                    <th scope="col">{t('audit.col.record')}</th>
                    <th scope="col">{t('audit.col.purpose')}</th>
                    <th scope="col">{t('audit.col.outcome')}</th>
                    <th scope="col">{t('audit.col.requestId')}</th>
                  </tr>
                </thead>
                <tbody>
                  {list.items.map((ev) => (
                    <tr key={ev.id}>
                      <td className="nowrap" data-label={t('audit.col.at')}>
                        <div>
                          <DateTime value={ev.at} />
                        </div>
                      </td>
                      <td data-label={t('audit.col.actor')}>
                        <div className="audit-who">
                          {ev.actorEmail ? (
                            <>
                              <button
                                type="button"
                                className="link-button"
                                title={t('audit.filterByActor')}
                                onClick={() => apply({ actorEmail: ev.actorEmail ?? '' }, true)}
                              >
                                <bdi>{ev.actorName ?? ev.actorEmail}</bdi>
                              </button>
                              {ev.actorName ? (
                                <bdi className="small muted" dir="ltr">
                                  {ev.actorEmail}
                                </bdi>
                              ) : null}
                            </>
                          ) : ev.actorId ? (
                            <code className="small" dir="ltr" title={ev.actorId}>
                              {shortId(ev.actorId)}
                            </code>
                          ) : (
                            <span className="muted">{t('audit.system')}</span>
                          )}
                        </div>
                      </td>
                      <td data-label={t('audit.col.action')}>
                        <div className="audit-action" title={t('audit.actionCode', { code: ev.action })}>
                          {words.action(ev.action)}
                        </div>
                      </td>
                      <td data-label={t('audit.col.record')}>
                        <div>
                          <span className="muted small" title={ev.entityType ?? undefined}>
                            {ev.entityType ? words.entity(ev.entityType) : '—'}
                          </span>
                          {ev.entityId ? (
                            <>
                              <br />
                              <button
                                type="button"
                                className="link-button code"
                                title={t('audit.filterByRecord')}
                                onClick={() =>
                                  apply({ entityType: ev.entityType ?? '', entityId: ev.entityId ?? '' }, true)
                                }
                              >
                                <bdi dir="ltr" title={ev.entityId}>
                                  {shortId(ev.entityId)}
                                </bdi>
                              </button>
                            </>
                          ) : null}
                        </div>
                      </td>
                      <td data-label={t('audit.col.purpose')}>
                        <div>{ev.purpose ? <Purpose stored={ev.purpose} /> : <span className="muted">—</span>}</div>
                      </td>
                      <td data-label={t('audit.col.outcome')}>
                        <div>
                          <span className={`chip chip-outcome-${ev.outcome}`}>{t(`audit.outcome.${ev.outcome}`)}</span>
                        </div>
                      </td>
                      <td data-label={t('audit.col.requestId')}>
                        <div>
                          <code dir="ltr" className="small" title={ev.requestId ?? undefined}>
                            {ev.requestId ? shortId(ev.requestId) : '—'}
                          </code>
                        </div>
                      </td>
                    </tr>
                  ))}
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

/** A stored purpose: the words of its code, and the reason given (the DPO sees it in full). */
function Purpose({ stored }: { stored: string }) {
  const words = useAuditWords();
  const p = words.purpose(stored);
  return (
    <>
      <bdi dir="auto">{p.words}</bdi>
      {p.text ? (
        <bdi dir="auto" className="audit-purpose-text small muted">
          {p.text}
        </bdi>
      ) : null}
    </>
  );
}

/** Reasons verify reports, each with words in the catalogues (unknown future codes show as code). */
const PROBLEMS = [
  'missing_event',
  'broken_link',
  'hash_mismatch',
  'head_mismatch',
  'signed_head_missing',
  'signed_head_invalid',
  'anchor_mismatch',
  'anchor_missing_event',
  'anchor_signature_invalid',
  'anchor_file_broken',
  'anchor_stale',
] as const;

function problemKey(reason: string): MessageKey | null {
  return (PROBLEMS as readonly string[]).includes(reason) ? (`audit.problem.${reason}` as MessageKey) : null;
}

/**
 * The outcome of a chain check: intact (with when the chains were last anchored outside the
 * database), intact but not anchored in time (a warning: maintenance is not running), or broken (each
 * problem in words, with chain, position and event).
 */
function VerifyResult({ result }: { result: AuditVerify }) {
  const t = useT();
  const a = result.anchors;
  const anchored = (
    <p>
      {a.lastAnchoredAt ? (
        <>
          {t('audit.anchors.last', { records: a.records })} <DateTime value={a.lastAnchoredAt} />
        </>
      ) : (
        t('audit.anchors.none')
      )}
    </p>
  );
  if (result.ok) {
    return (
      <div className="alert alert-success" role="status">
        <p className="alert-title">{t('audit.verify.ok', { count: result.checked })}</p>
        {anchored}
      </div>
    );
  }
  const integrity = result.problems.filter((p) => p.reason !== 'anchor_stale');
  if (integrity.length === 0) {
    return (
      <div className="alert alert-warning" role="alert">
        <p className="alert-title">
          {t('audit.verify.stale', { minutes: Math.ceil(a.lagSeconds / 60), events: a.unanchoredEvents })}
        </p>
        <p>{t('audit.verify.staleHelp', { max: Math.round(a.maxLagSeconds / 60) })}</p>
        {anchored}
      </div>
    );
  }
  return (
    <div className="alert alert-error" role="alert">
      <p className="alert-title">{t('audit.verify.broken', { count: result.checked })}</p>
      <ul className="audit-problems">
        {integrity.slice(0, 10).map((p, i) => (
          <ProblemItem key={i} problem={p} />
        ))}
      </ul>
      {integrity.length > 10 ? <p>{t('audit.verify.more', { count: integrity.length - 10 })}</p> : null}
      {anchored}
    </div>
  );
}

function ProblemItem({ problem: p }: { problem: AuditProblem }) {
  const t = useT();
  const key = problemKey(p.reason);
  const where =
    p.line !== undefined
      ? t('audit.problem.line', { line: p.line })
      : p.chainNo !== null
        ? t('audit.problem.where', { chain: p.chainNo, seq: p.seq ?? '—' })
        : null;
  return (
    <li>
      <strong>{key ? t(key) : p.reason}</strong>
      {where ? <> — {where}</> : null}
      {p.id ? (
        <>
          {' '}
          <code dir="ltr" title={p.id}>
            {shortId(p.id)}
          </code>
        </>
      ) : null}
    </li>
  );
}
