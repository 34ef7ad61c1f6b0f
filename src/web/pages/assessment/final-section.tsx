/** Formulation, scenarios, management plan and the final judgement with reasons; saved with If-Match. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { assessmentKeys, type Assessment, type InstrumentDefinition } from '../../api/assessments';
import { api, isApiError } from '../../api/client';
import { ConflictNotice } from '../../components/conflict-notice';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { TextAreaField } from '../cases/form-bits';
import { useLabel } from '../cases/labels';

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
  const qc = useQueryClient();
  const key = assessmentKeys.one(assessment.id);
  const [form, setForm] = useState<Form>(() => toForm(assessment));
  const [dirty, setDirty] = useState(false);
  const [reloaded, setReloaded] = useState(false);
  useEffect(() => {
    if (!dirty) setForm(toForm(assessment));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [assessment.version]);
  const save = useMutation({
    mutationFn: () => {
      const version = qc.getQueryData<Assessment>(key)?.version ?? assessment.version;
      return api<Assessment>('PATCH', `/api/v1/assessments/${assessment.id}`, {
        body: {
          formulation: form.formulation.trim() || null,
          scenarios: form.scenarios.trim() || null,
          managementPlan: form.managementPlan.trim() || null,
          judgementReasons: form.judgementReasons.trim() || null,
          judgement: form.judgement,
        },
        version,
      });
    },
    onSuccess: (a) => {
      qc.setQueryData(key, a);
      setDirty(false);
      setReloaded(false);
    },
  });
  const reload = useMutation({
    mutationFn: () =>
      qc.fetchQuery({
        queryKey: key,
        queryFn: () => api<Assessment>('GET', `/api/v1/assessments/${assessment.id}`),
        staleTime: 0,
      }),
    onSuccess: () => {
      setReloaded(true);
      save.reset();
    },
  });
  const set = (patch: Partial<Form>) => {
    setForm((f) => ({ ...f, ...patch }));
    setDirty(true);
  };
  const conflict = isApiError(save.error, 'VERSION_CONFLICT');

  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
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
