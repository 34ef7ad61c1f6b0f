/** Add or edit a goal. Editing sends If-Match; on 409 the user's input stays, the current goal is shown and can be re-applied. */
import { useEffect, useState } from 'react';
import { ApiError } from '../../api/client';
import { ConflictNotice } from '../../components/conflict-notice';
import { Dialog } from '../../components/dialog';
import { chosen, Field, SelectField, TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useReloadPlan, useSaveGoal } from './api';
import type { Goal } from './types';
import { DOMAINS, GOAL_STATUSES } from './vocabulary';

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

/** The dialog; `goal` null with open = add a goal in `domain` (empty: the user chooses the domain, nothing is preselected). */
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
  const [form, setForm] = useState<Form>(() => toForm(goal, domain));
  const [base, setBase] = useState<Goal | null>(goal);
  const [current, setCurrent] = useState<Goal | null>(null);
  const [missing, setMissing] = useState<{ domain?: string; title?: string }>({});
  const [gone, setGone] = useState<ApiError | null>(null);
  useEffect(() => {
    if (open) {
      setForm(toForm(goal, domain));
      setBase(goal);
      setCurrent(null);
      setMissing({});
      setGone(null);
    }
  }, [open, goal, domain]);

  const save = useSaveGoal(participantId, { onSuccess: onClose });
  const focus = useInvalidFocus(save.error);
  const reload = useReloadPlan(participantId);
  const reloadGoal = () =>
    reload.mutate(undefined, {
      onSuccess: (plan) => {
        const g = plan.goals.find((x) => x.id === base?.id);
        if (!g) {
          setGone(new ApiError(404, 'NOT_FOUND', 'the goal is gone'));
          return;
        }
        setCurrent(g);
        setBase(g);
        save.reset();
      },
    });
  const send = () => {
    const common = {
      title: form.title.trim(),
      indicator: form.indicator.trim() || null,
      interventions: form.interventions.trim() || null,
      targetDate: form.targetDate || null,
    };
    const domain = chosen(DOMAINS, form.domain);
    if (base)
      save.mutate({
        goal: base,
        body: { ...common, status: chosen(GOAL_STATUSES, form.status), progress: Number(form.progress) },
      });
    else if (domain) save.mutate({ goal: null, body: { ...common, domain } });
  };
  const conflict = save.conflict;
  const server = save.fieldErrors;
  const set = (k: keyof Form, v: string) => setForm((f) => ({ ...f, [k]: v }));
  const theirs = current ? toForm(current, current.domain) : null;
  const differs = theirs ? FIELDS.filter((k) => theirs[k] !== form[k]) : [];
  const show = (k: (typeof FIELDS)[number], v: string) =>
    k === 'status' ? t(`goal.status.${v as 'achieved'}`) : v || '—';

  return (
    <Dialog open={open} title={goal ? t('goal.edit') : t('goal.add')} onClose={onClose}>
      <form
        ref={focus.ref}
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const m: { domain?: string; title?: string } = {};
          if (!goal && !chosen(DOMAINS, form.domain)) m.domain = 'required';
          if (!form.title.trim()) m.title = 'required';
          setMissing(m);
          if (m.domain || m.title) {
            focus.refused();
            return;
          }
          send();
        }}
      >
        {conflict ? (
          <ConflictNotice reloading={reload.isPending} reloadError={reload.error ?? gone} onReload={reloadGoal} />
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
            required
            error={fm(missing.domain ?? server.domain)}
            onChange={(e) => set('domain', e.target.value)}
          >
            <option value="">{t('intake.choose')}</option>
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
          error={fm(missing.title ?? server.title)}
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
