/**
 * Team reconciliation (/cases/:id/assessments/:assessmentId/reconciliation): per item, grouped by the
 * instrument's domains, each assessor's ratings side by side with an agreed/differs marker (icon and
 * text); the lead assessor records the agreed rating on the lead assessment (per-item PUT, If-Match),
 * and differing ratings stay visible, and on record as dissent. No totals, no scores.
 */
import '../../styles/casework.css';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  assessmentKeys,
  CONFIDENCES,
  domainItems,
  needsEvidence,
  sameRatings,
  SOURCE_TYPES,
  useAssessment,
  useInstrumentVersion,
  useReconciliation,
  type Assessment,
  type Evidence,
  type InstrumentQuestion,
  type Scale,
} from '../../api/assessments';
import { useCaseTeam, useParticipant } from '../../api/casework';
import { api, isApiError } from '../../api/client';
import { useMe } from '../../api/queries';
import { ConflictNotice } from '../../components/conflict-notice';
import { Icon } from '../../components/icons';
import { usePageTitle } from '../../components/page';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { SelectField, TextAreaField } from '../cases/form-bits';
import { useLabel } from '../cases/labels';

type Agreement = 'agreed' | 'differs' | 'awaiting';

/** One assessment of the team, as a column. */
interface Column {
  assessmentId: string;
  assessorId: string;
  status: string;
  lead: boolean;
  label: string;
}

/** Agreement on one scale among the assessors who rated the item. */
function scaleAgreement(scale: string, ratings: Record<string, string>[]): Agreement {
  const values = ratings.map((r) => r[scale] ?? '');
  const given = values.filter(Boolean);
  if (new Set(given).size > 1) return 'differs';
  if (given.length < 2 || given.length < values.length) return 'awaiting';
  return 'agreed';
}

/** Agreement on an item: it differs when any scale differs, agrees when every scale agrees. */
function itemAgreement(scales: string[], ratings: Record<string, string>[]): Agreement {
  if (ratings.length < 2) return 'awaiting';
  const per = scales.map((s) => scaleAgreement(s, ratings));
  return per.includes('differs') ? 'differs' : per.every((a) => a === 'agreed') ? 'agreed' : 'awaiting';
}

const MARKER_ICON = { agreed: 'check', differs: 'differs', awaiting: 'pending' } as const;

/** The agreement marker: an icon and a word, never colour alone. */
function Marker({ state }: { state: Agreement }) {
  const t = useT();
  return (
    <span className={`recon-marker recon-${state}`}>
      <Icon name={MARKER_ICON[state]} />
      {t(`recon.state.${state}`)}
    </span>
  );
}

interface LeadFormProps {
  item: InstrumentQuestion;
  scales: Scale[];
  columns: Column[];
  ratingOf: (c: Column) => Record<string, string> | null;
  leadEvidence: Evidence[];
  onSave: (code: string, body: { ratings: Record<string, string>; evidence: Evidence[] }) => Promise<unknown>;
  onReload: () => Promise<unknown>;
}

/** The lead's control: the agreed rating per scale, recorded on the lead assessment. */
function LeadForm({ item, scales, columns, ratingOf, leadEvidence, onSave, onReload }: LeadFormProps) {
  const t = useT();
  const pick = useLabel();
  const uid = useId();
  const lead = columns.find((c) => c.lead);
  const leadRating = lead ? ratingOf(lead) : null;
  const others = columns.filter((c) => !c.lead && ratingOf(c));
  const consensus = (() => {
    const rs = others.map((c) => ratingOf(c)!);
    return rs.length > 0 && rs.every((r) => sameRatings(item.scales, r, rs[0]!)) ? rs[0]! : null;
  })();
  const initial = () => ({ ...(leadRating ?? consensus ?? {}) });
  const [draft, setDraft] = useState<Record<string, string>>(initial);
  const [dirty, setDirty] = useState(false);
  const [ev, setEv] = useState<Evidence>({ text: '', sourceType: 'interview', confidence: 'moderate' });
  const leadKey = JSON.stringify(leadRating);
  useEffect(() => {
    if (!dirty) setDraft(initial());
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [leadKey]);

  const ratings = Object.fromEntries(item.scales.filter((s) => draft[s]).map((s) => [s, draft[s]!]));
  const newEvidence = ev.text.trim() ? [{ ...ev, text: ev.text.trim() }] : [];
  const save = useMutation({
    mutationFn: () => onSave(item.code, { ratings, evidence: [...leadEvidence, ...newEvidence] }),
    onSuccess: () => {
      setDirty(false);
      setEv((e) => ({ ...e, text: '' }));
    },
  });
  const reload = useMutation({ mutationFn: onReload });
  const complete = item.scales.every((s) => draft[s]);
  const wantsEvidence = needsEvidence(item, ratings) && leadEvidence.length === 0;
  const scaleDefs = item.scales.map((k) => scales.find((s) => s.key === k)).filter((s): s is Scale => Boolean(s));
  const set = (next: Record<string, string>) => {
    setDraft(next);
    setDirty(true);
    save.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (complete && !(wantsEvidence && newEvidence.length === 0)) save.mutate();
  };

  return (
    <form className="recon-lead stack" aria-label={t('recon.record.title')} onSubmit={submit}>
      {others.some((c) => !sameRatings(item.scales, ratingOf(c)!, draft)) ? (
        <div className="form-actions">
          {others
            .filter((c) => !sameRatings(item.scales, ratingOf(c)!, draft))
            .map((c) => (
              <button
                key={c.assessmentId}
                type="button"
                className="btn btn-small"
                onClick={() => set({ ...ratingOf(c)! })}
              >
                {t('recon.record.use', { assessor: c.label })}
              </button>
            ))}
        </div>
      ) : null}
      {scaleDefs.map((s) => (
        <fieldset key={s.key} className="choice-group">
          <legend>{pick(s.label, s.key)}</legend>
          <div className="choice-grid">
            {s.options.map((o) => (
              <label key={o.value} className="choice">
                <input
                  type="radio"
                  name={`${uid}-${s.key}`}
                  value={o.value}
                  checked={draft[s.key] === o.value}
                  onChange={() => set({ ...draft, [s.key]: o.value })}
                />
                <span>{pick(o.label, o.value)}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {wantsEvidence ? (
        <div className="stack">
          <p className="hint">{t('recon.record.evidenceNeeded')}</p>
          <TextAreaField
            label={t('assess.evidence.text')}
            rows={2}
            maxLength={4000}
            dir="auto"
            required
            value={ev.text}
            onChange={(e) => setEv({ ...ev, text: e.target.value })}
          />
          <div className="assess-evidence-row">
            <SelectField
              label={t('assess.evidence.source')}
              value={ev.sourceType}
              onChange={(e) => setEv({ ...ev, sourceType: e.target.value as Evidence['sourceType'] })}
            >
              {SOURCE_TYPES.map((x) => (
                <option key={x} value={x}>
                  {t(`assess.source.${x}`)}
                </option>
              ))}
            </SelectField>
            <SelectField
              label={t('assess.evidence.confidence')}
              value={ev.confidence}
              onChange={(e) => setEv({ ...ev, confidence: e.target.value as Evidence['confidence'] })}
            >
              {CONFIDENCES.map((x) => (
                <option key={x} value={x}>
                  {t(`assess.confidence.${x}`)}
                </option>
              ))}
            </SelectField>
          </div>
        </div>
      ) : null}
      {isApiError(save.error, 'VERSION_CONFLICT') ? (
        <ConflictNotice
          reloading={reload.isPending}
          reloadError={reload.error}
          onReload={() => reload.mutate(undefined, { onSuccess: () => save.reset() })}
        />
      ) : save.isError ? (
        <ErrorAlert error={save.error} onRetry={() => save.mutate()} />
      ) : null}
      <div className="form-actions">
        <button
          type="submit"
          className="btn btn-primary btn-small"
          disabled={!complete || save.isPending || (wantsEvidence && newEvidence.length === 0)}
        >
          {t('recon.record.save')}
        </button>
        <span className="assess-save-state" role="status" aria-live="polite">
          {save.isPending ? (
            t('assess.saving')
          ) : save.isSuccess && !dirty ? (
            <span className="recon-marker recon-agreed">
              <Icon name="check" />
              {t('recon.record.saved')}
            </span>
          ) : !complete ? (
            t('recon.record.incomplete')
          ) : null}
        </span>
      </div>
    </form>
  );
}

interface ItemRowsProps {
  item: InstrumentQuestion;
  state: Agreement;
  columns: Column[];
  ratingOf: (c: Column) => Record<string, string> | null;
  scaleLabel: (scale: string) => string;
  optionLabel: (scale: string, value: string) => string;
  dissent: { who: string; what: string }[];
  form: ReactNode;
}

/** One item: a row of the assessors' ratings side by side, then its dissent and the lead's control. */
function ItemRows({ item, state, columns, ratingOf, scaleLabel, optionLabel, dissent, form }: ItemRowsProps) {
  const t = useT();
  const pick = useLabel();
  // The lead's control starts open where the ratings differ; the user's toggling is kept.
  const [open, setOpen] = useState(state === 'differs');
  const rated = columns.map(ratingOf).filter((x): x is Record<string, string> => x !== null);
  const differing = item.scales.filter((s) => scaleAgreement(s, rated) === 'differs');
  return (
    <tbody className="recon-item" data-item={item.code}>
      <tr>
        <th scope="row" className="recon-item-head">
          {pick(item.title, item.code)}
          <bdi className="code recon-code">{item.code}</bdi>
          {item.wording ? <span className="recon-wording">{pick(item.wording)}</span> : null}
        </th>
        {columns.map((c) => {
          const r = ratingOf(c);
          return (
            <td key={c.assessmentId}>
              {r ? (
                <ul className="recon-values">
                  {item.scales.map((s) => (
                    <li key={s} className={differing.includes(s) ? 'recon-value-differs' : undefined}>
                      <span className="muted">{scaleLabel(s)}:</span>{' '}
                      {r[s] ? optionLabel(s, r[s]) : t('recon.notRated')}
                    </li>
                  ))}
                </ul>
              ) : (
                <span className="muted">{t('recon.notRated')}</span>
              )}
            </td>
          );
        })}
        <td>
          <Marker state={state} />
          {differing.length > 0 ? (
            <span className="recon-which">
              {t('recon.differsOn', { scales: differing.map(scaleLabel).join(', ') })}
            </span>
          ) : null}
        </td>
      </tr>
      {dissent.length > 0 || form ? (
        <tr className="recon-item-more">
          <td colSpan={columns.length + 2}>
            {dissent.length > 0 ? (
              <div className="recon-dissent">
                <p className="alert-title">{t('recon.dissent')}</p>
                <ul>
                  {dissent.map((d) => (
                    <li key={d.who}>
                      {d.who}: {d.what}
                    </li>
                  ))}
                </ul>
              </div>
            ) : null}
            {form ? (
              <details className="recon-record" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
                <summary>
                  {t('recon.record.summary')}
                  <span className="visually-hidden"> — {pick(item.title, item.code)}</span>
                </summary>
                {form}
              </details>
            ) : null}
          </td>
        </tr>
      ) : null}
    </tbody>
  );
}

/** The reconciliation page. */
export function ReconciliationPage() {
  const t = useT();
  const pick = useLabel();
  const qc = useQueryClient();
  const { id = '', assessmentId = '' } = useParams();
  const me = useMe().data;
  const participant = useParticipant(id);
  const current = useAssessment(assessmentId);
  const isTeam = Boolean(current.data?.groupId);
  const rec = useReconciliation(assessmentId, isTeam);
  const inst = useInstrumentVersion(current.data?.instrumentKey, current.data?.instrumentVersion);
  const leadId = rec.data?.leadAssessmentId ?? '';
  const lead = useAssessment(leadId, Boolean(leadId));
  const team = useCaseTeam(id);
  const [onlyDiffering, setOnlyDiffering] = useState(false);
  const chain = useRef<Promise<unknown>>(Promise.resolve());
  usePageTitle(t('recon.title'));

  const back = (
    <p className="breadcrumb">
      <Link to={`/cases/${id}/assessments/${assessmentId}`}>{t('recon.back')}</Link>
    </p>
  );
  if (current.isPending || (current.isSuccess && inst.isPending) || (isTeam && rec.isPending)) return <Loading />;
  if (current.isError) return <ErrorAlert error={current.error} onRetry={() => void current.refetch()} />;
  if (inst.isError) return <ErrorAlert error={inst.error} onRetry={() => void inst.refetch()} />;
  if (!isTeam) {
    return (
      <>
        {back}
        <h1 tabIndex={-1} id="page-title">
          {t('recon.title')}
        </h1>
        <EmptyState title={t('recon.notTeam')}>
          <p>{t('recon.notTeam.body')}</p>
        </EmptyState>
      </>
    );
  }
  if (rec.isError) return <ErrorAlert error={rec.error} onRetry={() => void rec.refetch()} />;
  const r = rec.data!;
  const def = inst.data!.definition;
  const names = new Map((team.data?.members ?? []).map((m) => [m.userId, m.displayName]));
  const columns: Column[] = r.assessors.map((a, i) => {
    const name = names.get(a.assessorId);
    const label = name
      ? t('recon.assessor.named', { n: i + 1, name })
      : t('recon.assessor.short', { n: i + 1, id: a.assessorId.slice(0, 8) });
    return {
      assessmentId: a.assessmentId,
      assessorId: a.assessorId,
      status: a.status,
      lead: a.assessmentId === r.leadAssessmentId,
      label,
    };
  });
  const leadColumn = columns.find((c) => c.lead);
  const byCode = new Map(r.items.map((x) => [x.itemCode, x]));
  const ratingOf = (code: string) => (c: Column) => {
    const row = byCode.get(code);
    if (!row) return null;
    return (c.lead ? row.leadRating : row.byAssessor[c.assessorId]) ?? null;
  };
  const leadDraft = lead.data?.status === 'draft';
  const iAmLead = Boolean(me && leadColumn && me.user.id === leadColumn.assessorId);
  const canRecord = iAmLead && leadDraft;
  const mine = columns.find((c) => c.assessmentId === assessmentId);
  const leadRatings = new Map((lead.data?.ratings ?? []).map((x) => [x.itemCode, x]));
  const labelOf = (assessorId: string) =>
    columns.find((c) => !c.lead && c.assessorId === assessorId)?.label ??
    columns.find((c) => c.assessorId === assessorId)?.label ??
    assessorId.slice(0, 8);
  const scaleLabel = (k: string) => pick(def.scales.find((s) => s.key === k)?.label, k);
  const optionLabel = (scale: string, v: string) =>
    pick(def.scales.find((s) => s.key === scale)?.options.find((o) => o.value === v)?.label, v);
  const describe = (scales: string[], ratings: Record<string, string>) =>
    scales
      .filter((s) => ratings[s])
      .map((s) => `${scaleLabel(s)}: ${optionLabel(s, ratings[s]!)}`)
      .join('; ');

  const leadKey = assessmentKeys.one(leadId);
  /** Saves one agreed rating after any save under way, with the lead's latest version as If-Match. */
  const saveAgreed = (code: string, body: { ratings: Record<string, string>; evidence: Evidence[] }) => {
    const run = async () => {
      const version = qc.getQueryData<Assessment>(leadKey)?.version ?? lead.data!.version;
      const next = await api<Assessment>('PUT', `/api/v1/assessments/${leadId}/items/${encodeURIComponent(code)}`, {
        body,
        version,
      });
      qc.setQueryData(leadKey, next);
      await qc.invalidateQueries({ queryKey: assessmentKeys.reconciliation(assessmentId) });
      return next;
    };
    const p = chain.current.then(run, run);
    chain.current = p.catch(() => undefined);
    return p;
  };
  const reloadLead = () =>
    qc.fetchQuery({
      queryKey: leadKey,
      queryFn: () => api<Assessment>('GET', `/api/v1/assessments/${leadId}`),
      staleTime: 0,
    });

  const sections = def.domains
    .map((d) => ({
      domain: d,
      items: domainItems(d)
        .map((item) => {
          const rated = columns.map(ratingOf(item.code)).filter((x): x is Record<string, string> => x !== null);
          return { item, state: itemAgreement(item.scales, rated) };
        })
        .filter((x) => !onlyDiffering || x.state === 'differs'),
    }))
    .filter((s) => s.items.length > 0);

  return (
    <>
      {back}
      <div className="page-header">
        <div>
          <h1 tabIndex={-1} id="page-title">
            {t('recon.title')}
          </h1>
          <p className="lead">
            {pick(def.title, def.key)} · {t('assess.version', { version: def.version })}
            {participant.data ? (
              <>
                {' '}
                · <bdi className="code">{participant.data.code}</bdi>
              </>
            ) : null}
          </p>
        </div>
      </div>
      <p>{t('recon.intro')}</p>
      {def.notice ? (
        <p className="alert alert-warning" role="note">
          {pick(def.notice)}
        </p>
      ) : null}
      {mine && !mine.lead && current.data?.status === 'draft' ? (
        <p className="alert alert-info" role="note">
          {t('recon.independence')}
        </p>
      ) : null}
      {!canRecord ? (
        <p className="alert alert-info" role="status">
          {!leadDraft && lead.isSuccess ? t('recon.leadFinal') : t('recon.leadOnly', { lead: leadColumn?.label ?? '' })}
        </p>
      ) : null}
      {lead.isError ? <ErrorAlert error={lead.error} onRetry={() => void lead.refetch()} /> : null}
      <section className="card" aria-labelledby="recon-assessors">
        <h2 id="recon-assessors">{t('recon.assessors')}</h2>
        <ol className="recon-assessors">
          {columns.map((c) => (
            <li key={c.assessmentId}>
              <Link to={`/cases/${id}/assessments/${c.assessmentId}`}>{c.label}</Link>
              {c.lead ? <span className="chip chip-team">{t('recon.lead')}</span> : null}
              <span className={`chip chip-assessment-${c.status === 'final' ? 'final' : 'draft'}`}>
                {c.status === 'final' ? t('assess.status.final') : t('assess.status.draft')}
              </span>
              {me && c.assessorId === me.user.id ? <span className="muted"> · {t('recon.you')}</span> : null}
            </li>
          ))}
        </ol>
        <p className="muted small">{t('recon.leadExplained')}</p>
      </section>
      <div className="recon-toolbar">
        <label className="choice">
          <input type="checkbox" checked={onlyDiffering} onChange={(e) => setOnlyDiffering(e.target.checked)} />
          <span>{t('recon.onlyDiffering')}</span>
        </label>
        {inst.data!.wordingHidden ? <p className="muted small">{t('assess.wordingHidden')}</p> : null}
      </div>
      {sections.length === 0 ? (
        <EmptyState title={t('recon.noneDiffer')} />
      ) : (
        sections.map(({ domain, items }) => (
          <section key={domain.key} className="recon-domain" aria-labelledby={`recon-d-${domain.key}`}>
            <h2 id={`recon-d-${domain.key}`}>{pick(domain.title, domain.key)}</h2>
            <div
              className="table-wrap recon-table-wrap"
              role="region"
              tabIndex={0}
              aria-labelledby={`recon-d-${domain.key}`}
            >
              <table className="table recon-table">
                <thead>
                  <tr>
                    <th scope="col">{t('compare.item')}</th>
                    {columns.map((c) => (
                      <th key={c.assessmentId} scope="col">
                        {c.label}
                        {c.lead ? <span className="recon-col-note">{t('recon.leadColumn')}</span> : null}
                      </th>
                    ))}
                    <th scope="col">{t('recon.agreement')}</th>
                  </tr>
                </thead>
                {items.map(({ item, state }) => {
                  const saved = leadRatings.get(item.code);
                  return (
                    <ItemRows
                      key={item.code}
                      item={item}
                      state={state}
                      columns={columns}
                      ratingOf={ratingOf(item.code)}
                      scaleLabel={scaleLabel}
                      optionLabel={optionLabel}
                      dissent={(saved?.dissent ?? []).map((d) => ({
                        who: labelOf(d.assessorId),
                        what: describe(item.scales, d.ratings),
                      }))}
                      form={
                        canRecord && lead.data && columns.some((c) => ratingOf(item.code)(c)) ? (
                          <LeadForm
                            item={item}
                            scales={def.scales}
                            columns={columns}
                            ratingOf={ratingOf(item.code)}
                            leadEvidence={saved?.evidence ?? []}
                            onSave={saveAgreed}
                            onReload={reloadLead}
                          />
                        ) : null
                      }
                    />
                  );
                })}
              </table>
            </div>
          </section>
        ))
      )}
    </>
  );
}
