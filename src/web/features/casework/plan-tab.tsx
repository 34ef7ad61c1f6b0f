/**
 * Plan: goals grouped by domain, progress notes, the approval state (submit only when the server has put
 * the plan back to draft: a goal changed in a way that needs re-approval), supervisor decision, version history.
 */
import { useState } from 'react';
import { useIntl } from 'react-intl';
import { useCan } from '../../api/abilities';
import { DateTime } from '../../components/date-time';
import { TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { Announcer, EmptyState, ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useContentLabel } from '../../i18n/labels';
import { useDynamicT, useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useAddGoalNote, useCaseTeam, usePlan, useRefreshCase, useSubmitPlan } from './api';
import { GoalDialog } from './goal-dialog';
import { PlanDecision } from './plan-decision';
import type { Goal } from './types';
import { DOMAINS } from './vocabulary';

function NoteForm({ goal, participantId }: { goal: Goal; participantId: string }) {
  const t = useT();
  const fm = useFieldMessage();
  const [note, setNote] = useState('');
  const add = useAddGoalNote(participantId, { onSuccess: () => setNote('') });
  const focus = useInvalidFocus(add.error);
  return (
    <form
      ref={focus.ref}
      className="stack note-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (note.trim()) add.mutate({ goalId: goal.id, note: note.trim() });
      }}
    >
      {add.isError && !add.fieldErrors.note ? <ErrorAlert error={add.error} /> : null}
      <TextAreaField
        label={t('goal.note.label', { title: goal.title })}
        rows={2}
        maxLength={20000}
        value={note}
        error={fm(add.fieldErrors.note)}
        onChange={(e) => setNote(e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-small" disabled={add.isPending || !note.trim()}>
          {t('goal.note.add')}
        </button>
      </div>
    </form>
  );
}

/** The Plan tab. */
export function PlanTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const dt = useDynamicT();
  const intl = useIntl();
  const cl = useContentLabel();
  const id = ctx.participant.id;
  const plan = usePlan(id);
  const can = useCan();
  const [editing, setEditing] = useState<{ goal: Goal | null; domain: string } | null>(null);
  const team = useCaseTeam(id);
  const refresh = useRefreshCase(id);
  const [done, setDone] = useState('');
  const submit = useSubmitPlan(id, {
    onSuccess: (v) => setDone(t('plan.submit.done', { n: v.number })),
    // A refusal usually means the plan moved on elsewhere (submitted, approved): show where it stands now.
    onError: () => void refresh(),
  });
  if (plan.isPending) return <Loading />;
  if (plan.isError) return <ErrorAlert error={plan.error} onRetry={() => void plan.refetch()} />;
  const data = plan.data;
  const programDomains: string[] = ctx.program?.definition.domains ?? [...DOMAINS];
  const domains = [
    ...programDomains,
    ...new Set(data.goals.map((g) => g.domain).filter((d) => !programDomains.includes(d))),
  ];
  const pending = data.versions.find((v) => v.status === 'submitted');
  const approved = [...data.versions].sort((a, b) => b.number - a.number).find((v) => v.status === 'approved');
  const lead = can('plan.approve');
  const nameOf = (userId: string | null) =>
    userId === ctx.userId
      ? t('plan.approved.you')
      : (team.data?.members.find((m) => m.userId === userId)?.displayName ?? t('team.someone'));
  // Only a draft (never submitted, returned, or changed since approval) can be submitted: the server decides.
  const canSubmit = data.status === 'draft' && data.goals.length > 0 && !pending;

  return (
    <div className="stack">
      <div className="plan-head">
        <p>
          {t('plan.status')}:{' '}
          <span className={`chip chip-plan-${data.status}`}>
            {dt(`plan.status.${data.status}`, 'plan.status.unknown')}
          </span>
          {data.status === 'approved' && data.approvedAt ? (
            <span className="plan-approved">
              {' '}
              · {t('plan.approvedAt')} <DateTime value={data.approvedAt} mode="date" />
              {approved ? <> {t('team.by', { name: nameOf(approved.decidedBy) })}</> : null}
            </span>
          ) : null}
        </p>
        <div className="form-actions">
          <button type="button" className="btn" onClick={() => setEditing({ goal: null, domain: '' })}>
            {t('goal.add')}
          </button>
          {canSubmit ? (
            <button
              type="button"
              className="btn btn-primary"
              disabled={submit.isPending}
              onClick={() => {
                setDone('');
                submit.mutate();
              }}
            >
              {t('plan.submit')}
            </button>
          ) : null}
        </div>
      </div>
      {data.status === 'approved' ? <p className="muted">{t('plan.approved.lead')}</p> : null}
      {canSubmit && data.approvedAt ? <p className="alert alert-info">{t('plan.changed')}</p> : null}
      {pending ? (
        <p className="alert alert-info" role="status">
          {t('plan.pending', { n: pending.number })}
        </p>
      ) : null}
      {submit.isError ? <ErrorAlert error={submit.error} /> : null}
      <Announcer text={done} />
      {pending && lead ? (
        <PlanDecision key={pending.id} version={pending} participantId={id} onDone={(message) => setDone(message)} />
      ) : null}

      {data.goals.length === 0 ? (
        <EmptyState title={t('plan.empty')}>
          <p>{t('plan.empty.body')}</p>
        </EmptyState>
      ) : null}
      {domains.map((d) => {
        const goals = data.goals.filter((g) => g.domain === d);
        if (goals.length === 0) return null;
        return (
          <section key={d} className="domain-group" aria-labelledby={`dom-${d}`}>
            <div className="domain-head">
              <h2 id={`dom-${d}`}>{cl('domain', d)}</h2>
              <button
                type="button"
                className="btn btn-small btn-quiet"
                onClick={() => setEditing({ goal: null, domain: d })}
              >
                {t('goal.addIn', { domain: cl('domain', d) })}
              </button>
            </div>
            <ul className="goal-list">
              {goals.map((g) => (
                <li key={g.id} className="card goal">
                  <div className="goal-head">
                    <h3>
                      <bdi>{g.title}</bdi>
                    </h3>
                    <span className={`chip chip-goal-${g.status}`}>{t(`goal.status.${g.status}`)}</span>
                  </div>
                  <div className="progress-row">
                    <progress max={100} value={g.progress} aria-label={t('goal.progress.of', { title: g.title })} />
                    <span>{intl.formatNumber(g.progress / 100, { style: 'percent' })}</span>
                  </div>
                  <dl className="kv small">
                    {g.indicator ? (
                      <>
                        <dt>{t('goal.indicator')}</dt>
                        <dd>
                          <bdi>{g.indicator}</bdi>
                        </dd>
                      </>
                    ) : null}
                    {g.interventions ? (
                      <>
                        <dt>{t('goal.interventions')}</dt>
                        <dd>
                          <bdi>{g.interventions}</bdi>
                        </dd>
                      </>
                    ) : null}
                    {g.targetDate ? (
                      <>
                        <dt>{t('goal.targetDate')}</dt>
                        <dd>
                          <DateTime value={g.targetDate} mode="date" />
                        </dd>
                      </>
                    ) : null}
                  </dl>
                  <p>
                    <button
                      type="button"
                      className="btn btn-small"
                      onClick={() => setEditing({ goal: g, domain: g.domain })}
                    >
                      {t('goal.edit')}
                      <span className="visually-hidden">: {g.title}</span>
                    </button>
                  </p>
                  <details>
                    <summary>{t('goal.notes', { count: g.notes?.length ?? 0 })}</summary>
                    <ul className="note-list">
                      {(g.notes ?? []).map((n) => (
                        <li key={n.id}>
                          <DateTime value={n.createdAt} />
                          <p dir="auto">{n.note}</p>
                        </li>
                      ))}
                    </ul>
                    <NoteForm goal={g} participantId={id} />
                  </details>
                </li>
              ))}
            </ul>
          </section>
        );
      })}

      <section>
        <h2 id="plan-versions">{t('plan.versions')}</h2>
        {data.versions.length === 0 ? (
          <p className="muted">{t('plan.versions.none')}</p>
        ) : (
          <div className="table-wrap" role="region" tabIndex={0} aria-label={t('plan.versions')}>
            <table className="table table-dense">
              <thead>
                <tr>
                  <th scope="col">{t('plan.version')}</th>
                  <th scope="col">{t('plan.submittedAt')}</th>
                  <th scope="col">{t('plan.status')}</th>
                  <th scope="col">{t('plan.decidedAt')}</th>
                  <th scope="col">{t('plan.decisionNote')}</th>
                </tr>
              </thead>
              <tbody>
                {[...data.versions]
                  .sort((a, b) => b.number - a.number)
                  .map((v) => (
                    <tr key={v.id}>
                      <td>{intl.formatNumber(v.number)}</td>
                      <td>
                        <DateTime value={v.createdAt} />
                      </td>
                      <td>
                        <span className={`chip chip-version-${v.status}`}>{t(`plan.version.${v.status}`)}</span>
                      </td>
                      <td>
                        <DateTime value={v.decidedAt} />
                      </td>
                      <td>{v.decisionNote ? <bdi>{v.decisionNote}</bdi> : <span className="muted">—</span>}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <GoalDialog
        participantId={id}
        domains={domains}
        goal={editing?.goal ?? null}
        domain={editing?.domain ?? ''}
        open={editing !== null}
        onClose={() => setEditing(null)}
      />
    </div>
  );
}
