/** One assessment (/cases/:id/assessments/:assessmentId): domain stepper, item ratings with autosave, final judgement, finalise/amend. */
import '../../styles/casework.css';
import { useState } from 'react';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { ConflictNotice } from '../../components/conflict-notice';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { usePageTitle } from '../../components/page';
import { ErrorAlert, Loading } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useInstrumentVersion } from '../instruments/api';
import type { InstrumentDefinition, InstrumentDomain } from '../instruments/types';
import { useParticipant } from '../participants/api';
import {
  assessmentReportHref,
  useAmendAssessment,
  useAssessment,
  useFinaliseAssessment,
  useReloadAssessment,
} from './api';
import { FinalSection } from './final-section';
import { ItemCard } from './item-card';
import { domainItems, missingForFinal } from './rules';
import type { Assessment } from './types';

/** Sticky per-domain counts of one scale's values — a display aid, never a score. */
function DomainAid({
  domain,
  def,
  assessment,
}: {
  domain: InstrumentDomain;
  def: InstrumentDefinition;
  assessment: Assessment;
}) {
  const t = useT();
  const pick = useLabel();
  const scale = def.scales.find((s) => s.key === 'presence') ?? def.scales[0];
  if (!scale) return null;
  const items = domainItems(domain).filter((i) => i.scales.includes(scale.key));
  const byCode = new Map(assessment.ratings.map((r) => [r.itemCode, r.ratings]));
  const counts = new Map<string, number>();
  let unrated = 0;
  for (const i of items) {
    const v = byCode.get(i.code)?.[scale.key];
    if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
    else unrated += 1;
  }
  return (
    <section className="card assess-aid" aria-labelledby="assess-aid-title">
      <h2 id="assess-aid-title">{t('assess.aid.title')}</h2>
      <p className="muted small">{t('assess.aid.scale', { scale: pick(scale.label, scale.key) })}</p>
      <dl className="kv small">
        {scale.options.map((o) => (
          <div key={o.value} className="assess-aid-row">
            <dt>{pick(o.label, o.value)}</dt>
            <dd>{counts.get(o.value) ?? 0}</dd>
          </div>
        ))}
        <div className="assess-aid-row">
          <dt>{t('assess.aid.unrated')}</dt>
          <dd>{unrated}</dd>
        </div>
      </dl>
    </section>
  );
}

function FinaliseDialog({
  open,
  onClose,
  assessment,
  def,
}: {
  open: boolean;
  onClose: () => void;
  assessment: Assessment;
  def: InstrumentDefinition;
}) {
  const t = useT();
  const pick = useLabel();
  const missing = missingForFinal(def, assessment);
  const items = new Map(def.domains.flatMap(domainItems).map((i) => [i.code, i]));
  const scaleLabel = (k: string) => pick(def.scales.find((s) => s.key === k)?.label, k);
  const finalise = useFinaliseAssessment(assessment, { onSuccess: onClose });
  const reload = useReloadAssessment(assessment.id, { onSuccess: () => finalise.reset() });
  const count = missing.items.reduce((n, i) => n + i.scales.length, 0) + missing.judgements.length;
  return (
    <Dialog open={open} title={t('assess.finalise.title')} onClose={onClose}>
      <div className="stack">
        {finalise.conflict ? (
          <ConflictNotice reloading={reload.isPending} reloadError={reload.error} onReload={() => reload.mutate()} />
        ) : finalise.isError ? (
          <ErrorAlert error={finalise.error} />
        ) : null}
        {count === 0 ? (
          <p>{t('assess.finalise.ready')}</p>
        ) : (
          <>
            <p>{t('assess.finalise.missing', { count })}</p>
            <ul className="assess-missing">
              {missing.items.map((m) => (
                <li key={m.code}>
                  {pick(items.get(m.code)?.title, m.code)}:{' '}
                  {m.scales.map((k) => (k === 'evidence' ? t('assess.evidence') : scaleLabel(k))).join(', ')}
                </li>
              ))}
              {missing.judgements.map((j) => (
                <li key={j}>{pick(def.judgements.find((x) => x.key === j)?.label, j)}</li>
              ))}
            </ul>
          </>
        )}
        <div className="form-actions">
          <button
            type="button"
            className="btn btn-primary"
            disabled={count > 0 || finalise.isPending}
            onClick={() => finalise.mutate()}
          >
            {t('assess.finalise.confirm')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}

/** The /cases/:id/assessments/:assessmentId page. */
export function AssessmentPage() {
  const t = useT();
  const pick = useLabel();
  const { locale } = useI18n();
  const { id = '', assessmentId = '' } = useParams();
  const navigate = useNavigate();
  const participant = useParticipant(id);
  const q = useAssessment(assessmentId);
  const inst = useInstrumentVersion(q.data?.instrumentKey, q.data?.instrumentVersion);
  const [params, setParams] = useSearchParams();
  const [finalising, setFinalising] = useState(false);
  usePageTitle(inst.data ? pick(inst.data.definition.title) : t('assess.title'));

  const amend = useAmendAssessment(id, assessmentId, {
    onSuccess: (a) => void navigate(`/cases/${id}/assessments/${a.id}`),
  });

  if (q.isPending || (q.isSuccess && inst.isPending)) return <Loading />;
  if (q.isError) return <ErrorAlert error={q.error} onRetry={() => void q.refetch()} />;
  if (inst.isError) return <ErrorAlert error={inst.error} onRetry={() => void inst.refetch()} />;
  const a = q.data;
  const def = inst.data!.definition;
  const wordingHidden = inst.data!.wordingHidden;
  const readOnly = a.status !== 'draft';
  const steps = def.domains.length + 1;
  const raw = Number(params.get('step') ?? 0);
  const step = Number.isInteger(raw) && raw >= 0 && raw < steps ? raw : 0;
  const goto = (n: number) => {
    const sp = new URLSearchParams(params);
    sp.set('step', String(n));
    setParams(sp, { replace: true });
    document.getElementById('assess-step')?.focus();
  };
  const domain = def.domains[step];
  const byCode = new Map(a.ratings.map((r) => [r.itemCode, r]));

  return (
    <>
      <p className="breadcrumb">
        <Link to={`/cases/${id}?tab=assessments`}>{t('assess.back', { code: participant.data?.code ?? '' })}</Link>
      </p>
      <div className="page-header">
        <div>
          <h1 tabIndex={-1} id="page-title">
            {pick(def.title, def.key)}
          </h1>
          <p className="lead">
            <span className={`chip chip-assessment-${a.status}`}>
              {readOnly ? t('assess.status.final') : t('assess.status.draft')}
            </span>{' '}
            {t('assess.version', { version: def.version })}
            {a.finalisedAt ? (
              <>
                {' '}
                · {t('assess.finalisedAt')} <DateTime value={a.finalisedAt} />
              </>
            ) : null}
          </p>
        </div>
        <div className="page-actions">
          {readOnly ? (
            <>
              <a className="btn" href={assessmentReportHref(assessmentId, locale)} download>
                {t('assess.pdf')}
              </a>
              <button
                type="button"
                className="btn btn-primary"
                disabled={amend.isPending}
                onClick={() => amend.mutate()}
              >
                {t('assess.amend')}
              </button>
            </>
          ) : (
            <button type="button" className="btn btn-primary" onClick={() => setFinalising(true)}>
              {t('assess.finalise')}
            </button>
          )}
        </div>
      </div>
      {def.notice ? (
        <p className="alert alert-warning" role="note">
          {pick(def.notice)}
        </p>
      ) : null}
      {readOnly ? (
        <p className="alert alert-info" role="status">
          {t('assess.readOnly')}
        </p>
      ) : null}
      {amend.isError ? <ErrorAlert error={amend.error} /> : null}
      {a.groupId ? (
        <div className="alert alert-info team-banner" role="note">
          <p className="alert-title">{a.groupId === a.id ? t('team.banner.lead') : t('team.banner.member')}</p>
          <p>{a.groupId === a.id ? t('team.banner.leadBody') : t('team.banner.memberBody')}</p>
          <p>
            <Link className="btn btn-small" to={`/cases/${id}/assessments/${a.id}/reconciliation`}>
              {t('team.reconcile')}
            </Link>
          </p>
        </div>
      ) : !readOnly ? (
        <p className="muted small">{t('team.hint')}</p>
      ) : null}
      <nav aria-label={t('assess.steps')}>
        <ol className="assess-stepper">
          {def.domains.map((d, i) => (
            <li key={d.key}>
              <button
                type="button"
                className="btn btn-quiet btn-small"
                aria-current={i === step ? 'step' : undefined}
                onClick={() => goto(i)}
              >
                {pick(d.title, d.key)}
              </button>
            </li>
          ))}
          <li>
            <button
              type="button"
              className="btn btn-quiet btn-small"
              aria-current={step === steps - 1 ? 'step' : undefined}
              onClick={() => goto(steps - 1)}
            >
              {t('assess.final.title')}
            </button>
          </li>
        </ol>
      </nav>
      <section
        id="assess-step"
        tabIndex={-1}
        className="assess-step"
        aria-label={t('assess.stepOf', { n: step + 1, total: steps })}
      >
        {domain ? (
          <div className="assess-layout">
            <div className="stack">
              <h2>{pick(domain.title, domain.key)}</h2>
              {domainItems(domain).map((item) => (
                <ItemCard
                  key={`${a.id}-${item.code}`}
                  assessment={a}
                  item={item}
                  scales={def.scales}
                  saved={byCode.get(item.code)}
                  wordingHidden={wordingHidden}
                  readOnly={readOnly}
                />
              ))}
            </div>
            <DomainAid domain={domain} def={def} assessment={a} />
          </div>
        ) : (
          <FinalSection key={a.id} assessment={a} def={def} readOnly={readOnly} />
        )}
      </section>
      <div className="form-actions sticky-actions">
        <button type="button" className="btn" disabled={step === 0} onClick={() => goto(step - 1)}>
          {t('assess.previous')}
        </button>
        <span className="muted">{t('assess.stepOf', { n: step + 1, total: steps })}</span>
        <button type="button" className="btn" disabled={step === steps - 1} onClick={() => goto(step + 1)}>
          {t('assess.next')}
        </button>
      </div>
      {!readOnly ? (
        <FinaliseDialog open={finalising} onClose={() => setFinalising(false)} assessment={a} def={def} />
      ) : null}
    </>
  );
}
