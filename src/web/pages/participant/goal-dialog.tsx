/** Add or edit a goal. Editing sends If-Match; on 409 the user's input stays, the current goal is shown and can be re-applied. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, isApiError } from '../../api/client';
import { GOAL_STATUSES, keys, type Goal, type Plan } from '../../api/casework';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { Field } from '../../components/field';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { pathErrors, SelectField, TextAreaField } from '../cases/form-bits';
import { useContentLabel } from '../cases/labels';

interface Form {
  domain: string;
  title: string;
  indicator: string;
  interventions: string;
  targetDate: string;
  status: string;
  progress: string;
}
const FIELDS = ['title', 'indicator', 'interventions', 'targetDate', 'status', 'progress'] as const;

const toForm = (g: Goal | null, domain: string): Form => ({
  domain: g?.domain ?? domain,
  title: g?.title ?? '',
  indicator: g?.indicator ?? '',
  interventions: g?.interventions ?? '',
  targetDate: g?.targetDate?.slice(0, 10) ?? '',
  status: g?.status ?? 'not_started',
  progress: String(g?.progress ?? 0),
});

/** The dialog; `goal` null with open = add a goal in `domain`. */
export function GoalDialog({
  participantId,
  domains,
  goal,
  domain,
  open,
  onClose,
}: {
  participantId: string;
  domains: string[];
  goal: Goal | null;
  domain: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const fm = useFieldMessage();
  const cl = useContentLabel();
  const qc = useQueryClient();
  const [form, setForm] = useState<Form>(() => toForm(goal, domain));
  const [base, setBase] = useState<Goal | null>(goal);
  const [current, setCurrent] = useState<Goal | null>(null);
  const [missing, setMissing] = useState(false);
  useEffect(() => {
    if (open) {
      setForm(toForm(goal, domain));
      setBase(goal);
      setCurrent(null);
      setMissing(false);
    }
  }, [open, goal, domain]);

  const save = useMutation({
    mutationFn: () => {
      const common = {
        title: form.title.trim(),
        indicator: form.indicator.trim() || null,
        interventions: form.interventions.trim() || null,
        targetDate: form.targetDate || null,
      };
      return base
        ? api<Goal>('PATCH', `/api/v1/goals/${base.id}`, {
            body: { ...common, status: form.status, progress: Number(form.progress) },
            version: base.version,
          })
        : api<Goal>('POST', `/api/v1/participants/${participantId}/goals`, {
            body: { ...common, domain: form.domain },
          });
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['participant', participantId] });
      void qc.invalidateQueries({ queryKey: ['participants'] });
      onClose();
    },
  });
  const reload = useMutation({
    mutationFn: async () => {
      const plan = await qc.fetchQuery({
        queryKey: keys.plan(participantId),
        queryFn: () => api<Plan>('GET', `/api/v1/participants/${participantId}/plan`),
        staleTime: 0,
      });
      const g = plan.goals.find((x) => x.id === base?.id);
      if (!g) throw new Error('gone');
      return g;
    },
    onSuccess: (g) => {
      setCurrent(g);
      setBase(g);
      save.reset();
    },
  });
  const conflict = isApiError(save.error, 'VERSION_CONFLICT');
  const server = pathErrors(save.error);
  const set = (k: keyof Form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const theirs = current ? toForm(current, current.domain) : null;
  const differs = theirs ? FIELDS.filter((k) => theirs[k] !== form[k]) : [];
  const show = (k: (typeof FIELDS)[number], v: string) =>
    k === 'status' ? t(`goal.status.${v as 'achieved'}`) : v || '—';

  return (
    <Dialog open={open} title={goal ? t('goal.edit') : t('goal.add')} onClose={onClose}>
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          if (!form.title.trim()) {
            setMissing(true);
            return;
          }
          setMissing(false);
          save.mutate();
        }}
      >
        {conflict ? (
          <ConflictNotice reloading={reload.isPending} reloadError={reload.error} onReload={() => reload.mutate()} />
        ) : save.isError ? (
          <ErrorAlert error={save.error} />
        ) : null}
        {current ? (
          <div className="alert alert-info" role="status">
            <p>{t('conflict.reapply')}</p>
            {differs.length === 0 ? (
              <p>{t('goal.conflict.same')}</p>
            ) : (
              <table className="table table-dense">
                <thead>
                  <tr>
                    <th scope="col">{t('goal.field')}</th>
                    <th scope="col">{t('conflict.current')}</th>
                    <th scope="col">{t('conflict.yours')}</th>
                  </tr>
                </thead>
                <tbody>
                  {differs.map((k) => (
                    <tr key={k}>
                      <th scope="row">{t(`goal.${k}`)}</th>
                      <td>
                        <bdi>{show(k, theirs![k])}</bdi>
                      </td>
                      <td>
                        <bdi>{show(k, form[k])}</bdi>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        ) : null}
        {goal ? (
          <p className="muted">{cl('domain', form.domain)}</p>
        ) : (
          <SelectField
            label={t('goal.domain')}
            value={form.domain}
            error={fm(server.domain)}
            onChange={(e) => set('domain', e.target.value)}
          >
            {domains.map((d) => (
              <option key={d} value={d}>
                {cl('domain', d)}
              </option>
            ))}
          </SelectField>
        )}
        <Field
          label={t('goal.title')}
          dir="auto"
          required
          maxLength={300}
          value={form.title}
          error={fm(missing ? 'required' : server.title)}
          onChange={(e) => set('title', e.target.value)}
        />
        <TextAreaField
          label={t('goal.indicator')}
          hint={t('goal.indicator.hint')}
          maxLength={1000}
          value={form.indicator}
          error={fm(server.indicator)}
          onChange={(e) => set('indicator', e.target.value)}
        />
        <TextAreaField
          label={t('goal.interventions')}
          maxLength={2000}
          value={form.interventions}
          error={fm(server.interventions)}
          onChange={(e) => set('interventions', e.target.value)}
        />
        <Field
          label={t('goal.targetDate')}
          type="date"
          value={form.targetDate}
          error={fm(server.targetDate)}
          onChange={(e) => set('targetDate', e.target.value)}
        />
        {goal ? (
          <>
            <SelectField
              label={t('goal.status')}
              value={form.status}
              error={fm(server.status)}
              onChange={(e) => set('status', e.target.value)}
            >
              {GOAL_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`goal.status.${s}`)}
                </option>
              ))}
            </SelectField>
            <Field
              label={t('goal.progress')}
              hint={t('goal.progress.hint')}
              type="number"
              min={0}
              max={100}
              step={5}
              inputMode="numeric"
              value={form.progress}
              error={fm(server.progress)}
              onChange={(e) => set('progress', e.target.value)}
            />
          </>
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || conflict}>
            {current ? t('goal.reapply') : t('action.save')}
          </button>
          <button type="button" className="btn btn-quiet" onClick={onClose}>
            {t('action.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
