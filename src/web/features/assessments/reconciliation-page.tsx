/**
 * Team reconciliation (/cases/:id/assessments/:assessmentId/reconciliation): per item, grouped by the
 * instrument's domains, each assessor's ratings side by side with an agreed/differs marker (icon and
 * text); the lead assessor records the agreed rating on the lead assessment (per-item PUT, If-Match),
 * and differing ratings stay visible, and on record as dissent. No totals, no scores.
 */
import '../../styles/casework.css';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMe } from '../../api/queries';
import { usePageTitle } from '../../components/page';
import { EmptyState, ErrorAlert, Loading } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useCaseTeam } from '../casework/api';
import { useInstrumentVersion } from '../instruments/api';
import { useParticipant } from '../participants/api';
import { useAssessment, useReconciliation } from './api';
import { LeadForm } from './reconciliation-lead-form';
import { itemAgreement, ItemRows, type Column } from './reconciliation-rows';
import { domainItems } from './rules';

/** The reconciliation page. */
export function ReconciliationPage() {
  const t = useT();
  const pick = useLabel();
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
          // Not a landmark itself: the scrollable table below is the region named by the heading.
          <section key={domain.key} className="recon-domain">
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
                            leadAssessment={lead.data}
                            reconciliationOf={assessmentId}
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
