/** One instrument item: title, wording and guidance, a radio group per scale, evidence; autosaves with If-Match. */
import { useEffect, useId, useRef, useState } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { SelectField, TextAreaField } from '../../components/field';
import { ErrorAlert } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import type { InstrumentQuestion, Scale } from '../instruments/types';
import { useReloadAssessment, useSaveItemRating } from './api';
import { CONFIDENCES, SOURCE_TYPES, type Assessment, type Evidence, type ItemRating } from './types';

export interface ItemDraft {
  ratings: Record<string, string>;
  evidence: Evidence[];
}
const fromServer = (r: ItemRating | undefined): ItemDraft => ({
  ratings: { ...(r?.ratings ?? {}) },
  evidence: [...(r?.evidence ?? [])],
});

interface Props {
  /** The assessment the item belongs to (saves queue up per assessment, each with its newest version). */
  assessment: Pick<Assessment, 'id' | 'version'>;
  item: InstrumentQuestion;
  scales: Scale[];
  saved: ItemRating | undefined;
  wordingHidden: boolean;
  readOnly: boolean;
}

/** The item card. */
export function ItemCard({ assessment, item, scales, saved, wordingHidden, readOnly }: Props) {
  const t = useT();
  const pick = useLabel();
  const uid = useId();
  const [draft, setDraft] = useState<ItemDraft>(() => fromServer(saved));
  const [dirty, setDirty] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  const [ev, setEv] = useState<Evidence>({ text: '', sourceType: 'interview', confidence: 'moderate' });
  const savedKey = JSON.stringify(saved ?? null);
  useEffect(() => {
    if (!dirty) setDraft(fromServer(saved));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [savedKey]);

  // The newest draft sent: an earlier save finishing must not mark the card clean (and so reset it to
  // the server's older state) while a newer change is still on its way.
  const latest = useRef<ItemDraft | null>(null);
  const save = useSaveItemRating(assessment);
  const reload = useReloadAssessment(assessment.id, { onSuccess: () => setReloaded(true) });
  const send = (sent: ItemDraft) => {
    latest.current = sent;
    save.mutate(
      { code: item.code, ...sent },
      {
        onSuccess: () => {
          if (sent !== latest.current) return;
          setDirty(false);
          setReloaded(false);
        },
      },
    );
  };
  const change = (next: ItemDraft) => {
    setDraft(next);
    setDirty(true);
    setReloaded(false);
    send(next);
  };
  const resend = () => send(draft);
  const conflict = save.conflict;
  const scaleDefs = item.scales.map((k) => scales.find((s) => s.key === k)).filter((s): s is Scale => Boolean(s));
  const title = pick(item.title, item.code);

  return (
    <article className="card stack assess-item" aria-labelledby={`${uid}-t`}>
      <div className="goal-head">
        <h3 id={`${uid}-t`}>{title}</h3>
        <span className="assess-save-state" role="status" aria-live="polite">
          {save.isPending
            ? t('assess.saving')
            : save.isError
              ? t('assess.notSaved')
              : save.isSuccess
                ? t('assess.saved')
                : null}
        </span>
      </div>
      {item.wording ? (
        <p className="assess-wording">{pick(item.wording)}</p>
      ) : wordingHidden ? (
        <p className="muted small">{t('assess.wordingHidden')}</p>
      ) : null}
      {item.guidance ? (
        <details>
          <summary>{t('assess.guidance')}</summary>
          <p>{pick(item.guidance)}</p>
        </details>
      ) : null}
      {conflict ? (
        <ConflictNotice reloading={reload.isPending} reloadError={reload.error} onReload={() => reload.mutate()} />
      ) : save.isError ? (
        <ErrorAlert error={save.error} onRetry={resend} />
      ) : null}
      {reloaded && dirty ? (
        <div className="alert alert-info" role="status">
          <p>{t('conflict.reapply')}</p>
          <button type="button" className="btn btn-small btn-primary" disabled={save.isPending} onClick={resend}>
            {t('assess.reapply')}
          </button>
        </div>
      ) : null}
      {scaleDefs.map((s) => (
        <fieldset key={s.key} className="choice-group assess-scale">
          <legend>{pick(s.label, s.key)}</legend>
          <div className="choice-grid">
            {s.options.map((o) => (
              <label key={o.value} className="choice" title={o.description ? pick(o.description) : undefined}>
                <input
                  type="radio"
                  name={`${uid}-${s.key}`}
                  value={o.value}
                  checked={draft.ratings[s.key] === o.value}
                  disabled={readOnly}
                  onChange={() => change({ ...draft, ratings: { ...draft.ratings, [s.key]: o.value } })}
                />
                <span>{pick(o.label, o.value)}</span>
              </label>
            ))}
          </div>
        </fieldset>
      ))}
      {saved?.dissent?.length ? (
        <div className="recon-dissent">
          <p className="alert-title">{t('recon.dissent')}</p>
          <ul>
            {saved.dissent.map((d) => (
              <li key={d.assessorId}>
                {scaleDefs
                  .filter((s) => d.ratings[s.key])
                  .map(
                    (s) =>
                      `${pick(s.label, s.key)}: ${pick(s.options.find((o) => o.value === d.ratings[s.key])?.label, d.ratings[s.key])}`,
                  )
                  .join('; ')}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {/* A group, not a landmark: every item has its evidence, and regions must be named apart. */}
      <div className="assess-evidence" role="group" aria-labelledby={`${uid}-ev`}>
        <h4 id={`${uid}-ev`}>
          {t('assess.evidence')}
          {item.evidenceRequired ? <span className="muted"> · {t('assess.evidenceRequired')}</span> : null}
        </h4>
        {draft.evidence.length === 0 ? (
          <p className="muted small">{t('assess.evidence.none')}</p>
        ) : (
          <ul className="note-list">
            {draft.evidence.map((e, i) => (
              <li key={i}>
                <p dir="auto">{e.text}</p>
                <p className="muted small">
                  {t(`assess.source.${e.sourceType}`)} · {t(`assess.confidence.${e.confidence}`)}
                  {!readOnly ? (
                    <>
                      {' '}
                      <button
                        type="button"
                        className="btn btn-quiet btn-small"
                        onClick={() => change({ ...draft, evidence: draft.evidence.filter((_, j) => j !== i) })}
                      >
                        {t('assess.evidence.remove')}
                      </button>
                    </>
                  ) : null}
                </p>
              </li>
            ))}
          </ul>
        )}
        {!readOnly ? (
          <details>
            <summary>{t('assess.evidence.add')}</summary>
            <div className="stack">
              <TextAreaField
                label={t('assess.evidence.text')}
                rows={2}
                maxLength={4000}
                dir="auto"
                value={ev.text}
                onChange={(e) => setEv({ ...ev, text: e.target.value })}
              />
              <div className="assess-evidence-row">
                <SelectField
                  label={t('assess.evidence.source')}
                  value={ev.sourceType}
                  onChange={(e) => setEv({ ...ev, sourceType: e.target.value as Evidence['sourceType'] })}
                >
                  {SOURCE_TYPES.map((s) => (
                    <option key={s} value={s}>
                      {t(`assess.source.${s}`)}
                    </option>
                  ))}
                </SelectField>
                <SelectField
                  label={t('assess.evidence.confidence')}
                  value={ev.confidence}
                  onChange={(e) => setEv({ ...ev, confidence: e.target.value as Evidence['confidence'] })}
                >
                  {CONFIDENCES.map((c) => (
                    <option key={c} value={c}>
                      {t(`assess.confidence.${c}`)}
                    </option>
                  ))}
                </SelectField>
              </div>
              <div className="form-actions">
                <button
                  type="button"
                  className="btn btn-small"
                  disabled={!ev.text.trim() || save.isPending}
                  onClick={() => {
                    change({ ...draft, evidence: [...draft.evidence, { ...ev, text: ev.text.trim() }] });
                    setEv({ ...ev, text: '' });
                  }}
                >
                  {t('assess.evidence.addButton')}
                </button>
              </div>
            </div>
          </details>
        ) : null}
      </div>
    </article>
  );
}
