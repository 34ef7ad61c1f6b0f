/** Formulation, scenarios, management plan and the final judgement with reasons; saved with If-Match. */
import { useEffect, useId, useState } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { TextAreaField } from '../../components/field';
import { ErrorAlert } from '../../components/states';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import type { InstrumentDefinition } from '../instruments/types';
import { useReloadAssessment, useSaveFinalSection } from './api';
import type { Assessment } from './types';

interface Form {
  formulation: string;
  scenarios: string;
  managementPlan: string;
  judgementReasons: string;
  judgement: Record<string, string>;
}
const toForm = (a: Assessment): Form => ({
  formulation: a.formulation ?? '',
  scenarios: a.scenarios ?? '',
  managementPlan: a.managementPlan ?? '',
  judgementReasons: a.judgementReasons ?? '',
  judgement: { ...a.judgement },
});

/** The last step of the stepper. */
export function FinalSection({
  assessment,
  def,
  readOnly,
}: {
  assessment: Assessment;
  def: InstrumentDefinition;
  readOnly: boolean;
}) {
  const t = useT();
  const pick = useLabel();
  const uid = useId();
  const [form, setForm] = useState<Form>(() => toForm(assessment));
  const [dirty, setDirty] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  useEffect(() => {
    if (!dirty) setForm(toForm(assessment));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [assessment.version]);
  const save = useSaveFinalSection(assessment, {
    onSuccess: () => {
      setDirty(false);
      setReloaded(false);
    },
  });
  const reload = useReloadAssessment(assessment.id, {
    onSuccess: () => {
      setReloaded(true);
      save.reset();
    },
  });
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };
  const conflict = save.conflict;

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate({
          formulation: form.formulation.trim() || null,
          scenarios: form.scenarios.trim() || null,
          managementPlan: form.managementPlan.trim() || null,
          judgementReasons: form.judgementReasons.trim() || null,
          judgement: form.judgement,
        });
      }}
    >
      <h2>{t('assess.final.title')}</h2>
      {conflict ? (
        <ConflictNotice reloading={reload.isPending} reloadError={reload.error} onReload={() => reload.mutate()} />
      ) : save.isError ? (
        <ErrorAlert error={save.error} />
      ) : null}
      {reloaded && dirty ? (
        <p className="alert alert-info" role="status">
          {t('conflict.reapply')}
        </p>
      ) : null}
      <TextAreaField
        label={t('assess.formulation')}
        hint={t('assess.formulation.hint')}
        rows={5}
        maxLength={20000}
        dir="auto"
        readOnly={readOnly}
        value={form.formulation}
        onChange={(e) => set({ formulation: e.target.value })}
      />
      <TextAreaField
        label={t('assess.scenarios')}
        hint={t('assess.scenarios.hint')}
        rows={4}
        maxLength={20000}
        dir="auto"
        readOnly={readOnly}
        value={form.scenarios}
        onChange={(e) => set({ scenarios: e.target.value })}
      />
      <TextAreaField
        label={t('assess.managementPlan')}
        rows={4}
        maxLength={20000}
        dir="auto"
        readOnly={readOnly}
        value={form.managementPlan}
        onChange={(e) => set({ managementPlan: e.target.value })}
      />
      {def.judgements.map((j) => (
        <fieldset key={j.key} className="choice-group">
          <legend>{pick(j.label, j.key)}</legend>
          {j.options.map((o) => (
            <label key={o.value} className="choice">
              <input
                type="radio"
                name={`${uid}-${j.key}`}
                value={o.value}
                checked={form.judgement[j.key] === o.value}
                disabled={readOnly}
                onChange={() => set({ judgement: { ...form.judgement, [j.key]: o.value } })}
              />
              <span>
                {pick(o.label, o.value)}
                {o.description ? <span className="muted small"> — {pick(o.description)}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
      ))}
      <TextAreaField
        label={t('assess.judgementReasons')}
        rows={4}
        maxLength={20000}
        dir="auto"
        readOnly={readOnly}
        value={form.judgementReasons}
        onChange={(e) => set({ judgementReasons: e.target.value })}
      />
      {!readOnly ? (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || conflict || !dirty}>
            {reloaded && dirty ? t('assess.reapply') : t('action.save')}
          </button>
          {save.isSuccess && !dirty ? (
            <span className="muted" role="status">
              {t('assess.saved')}
            </span>
          ) : null}
        </div>
      ) : null}
    </form>
  );
}
