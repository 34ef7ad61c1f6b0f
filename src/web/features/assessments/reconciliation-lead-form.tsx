/** The lead assessor's control on the reconciliation page: the agreed rating per scale, recorded on the lead assessment. */
import { useEffect, useId, useState, type FormEvent } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { SelectField, TextAreaField } from '../../components/field';
import { Icon } from '../../components/icons';
import { ErrorAlert } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import type { InstrumentQuestion, Scale } from '../instruments/types';
import { useReloadAssessment, useSaveItemRating } from './api';
import type { Column } from './reconciliation-rows';
import { needsEvidence, sameRatings } from './rules';
import { CONFIDENCES, SOURCE_TYPES, type Assessment, type Evidence } from './types';

interface LeadFormProps {
  item: InstrumentQuestion;
  scales: Scale[];
  columns: Column[];
  ratingOf: (c: Column) => Record<string, string> | null;
  leadEvidence: Evidence[];
  /** The lead assessment (a draft) the agreed ratings are recorded on. */
  leadAssessment: Assessment;
  /** The assessment whose reconciliation is shown (read again after each save). */
  reconciliationOf: string;
}

/** The lead's control: the agreed rating per scale, recorded on the lead assessment. */
export function LeadForm({
  item,
  scales,
  columns,
  ratingOf,
  leadEvidence,
  leadAssessment,
  reconciliationOf,
}: LeadFormProps) {
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
  const save = useSaveItemRating(leadAssessment, reconciliationOf);
  const send = () =>
    save.mutate(
      { code: item.code, ratings, evidence: [...leadEvidence, ...newEvidence] },
      {
        onSuccess: () => {
          setDirty(false);
          setEv((e) => ({ ...e, text: '' }));
        },
      },
    );
  const reload = useReloadAssessment(leadAssessment.id);
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
    if (complete && !(wantsEvidence && newEvidence.length === 0)) send();
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
      {save.conflict ? (
        <ConflictNotice
          reloading={reload.isPending}
          reloadError={reload.error}
          onReload={() => reload.mutate(undefined, { onSuccess: () => save.reset() })}
        />
      ) : save.isError ? (
        <ErrorAlert error={save.error} onRetry={send} />
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
