/** Case sessions: a short entry form that works on a phone (Ctrl+Enter saves) and the list, newest first. */
import { useRef, useState } from 'react';
import { useIntl } from 'react-intl';
import { DateTime } from '../../components/date-time';
import { chosen, Field, SelectField, TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { ListFooter } from '../../components/list-footer';
import { EmptyState, ErrorAlert, ReadState, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useCaseSessions, usePlan, useRecordCaseSession } from './api';
import { ATTENDANCE, DISCIPLINES, SESSION_KINDS } from './vocabulary';

const ENGAGEMENT = [1, 2, 3, 4, 5] as const;

function localNow(): string {
  const d = new Date();
  d.setSeconds(0, 0);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** The user's own discipline when they have one (a preselection, not a permission). */
function defaultDiscipline(roles: string[]): string {
  return DISCIPLINES.find((d) => roles.includes(d)) ?? 'case_manager';
}

/** The quick case-session entry form. */
function CaseSessionForm({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const fm = useFieldMessage();
  const plan = usePlan(ctx.participant.id);
  const formRef = useRef<HTMLFormElement>(null);
  const blank = () => ({
    kind: 'individual' as (typeof SESSION_KINDS)[number],
    discipline: defaultDiscipline(ctx.roles),
    occurredAt: localNow(),
    duration: '45',
    attendance: 'present' as (typeof ATTENDANCE)[number],
    engagement: '',
    goalIds: [] as string[],
    notes: '',
  });
  const [f, setF] = useState(blank);
  const [saved, setSaved] = useState(false);
  const [missing, setMissing] = useState<Record<string, string>>({});
  const set = <K extends keyof ReturnType<typeof blank>>(k: K, v: ReturnType<typeof blank>[K]) => {
    setSaved(false);
    setF((x) => ({ ...x, [k]: v }));
  };
  const save = useRecordCaseSession(ctx.participant.id, {
    onSuccess: () => {
      setF(blank());
      setSaved(true);
    },
  });
  const send = () =>
    save.mutate({
      kind: f.kind,
      discipline: f.discipline,
      occurredAt: new Date(f.occurredAt).toISOString(),
      durationMinutes: Number(f.duration),
      attendees: [
        {
          participantId: ctx.participant.id,
          attendance: f.attendance,
          engagement: f.engagement ? Number(f.engagement) : null,
          goalIds: f.goalIds,
        },
      ],
      notes: f.notes.trim() || undefined,
    });
  const server = save.fieldErrors;
  const focus = useInvalidFocus(save.error);
  const absent = f.attendance === 'absent' || f.attendance === 'excused';
  return (
    <form
      ref={(el) => {
        formRef.current = el;
        focus.ref.current = el;
      }}
      className="card stack session-form"
      aria-labelledby="session-form-title"
      noValidate
      onKeyDown={(e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          formRef.current?.requestSubmit();
        }
      }}
      onSubmit={(e) => {
        e.preventDefault();
        const m: Record<string, string> = {};
        if (!f.occurredAt || Number.isNaN(new Date(f.occurredAt).getTime())) m.occurredAt = 'required';
        const minutes = Number(f.duration);
        if (!f.duration.trim()) m.durationMinutes = 'required';
        else if (!Number.isInteger(minutes) || minutes < 1) m.durationMinutes = 'too_small';
        else if (minutes > 1440) m.durationMinutes = 'too_big';
        setMissing(m);
        if (Object.keys(m).length > 0) {
          focus.refused();
          return;
        }
        send();
      }}
    >
      <h2 id="session-form-title">{t('caseSession.new')}</h2>
      <p className="hint">{t('caseSession.shortcut')}</p>
      {saved ? (
        <p className="alert alert-success" role="status">
          {t('caseSession.saved')}
        </p>
      ) : null}
      {save.isError ? <ErrorAlert error={save.error} highlighted={Object.keys(server).length > 0} /> : null}
      <div className="form-grid">
        <SelectField
          label={t('caseSession.kind')}
          value={f.kind}
          onChange={(e) => set('kind', chosen(SESSION_KINDS, e.target.value) ?? 'individual')}
        >
          {SESSION_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`caseSession.kind.${k}`)}
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('caseSession.discipline')}
          value={f.discipline}
          error={fm(server.discipline)}
          onChange={(e) => set('discipline', e.target.value)}
        >
          {DISCIPLINES.map((d) => (
            <option key={d} value={d}>
              {t(`role.${d}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('caseSession.when')}
          type="datetime-local"
          required
          value={f.occurredAt}
          error={fm(missing.occurredAt ?? server.occurredAt)}
          onChange={(e) => set('occurredAt', e.target.value)}
        />
        <Field
          label={t('caseSession.duration')}
          type="number"
          inputMode="numeric"
          min={1}
          max={1440}
          required
          value={f.duration}
          error={fm(missing.durationMinutes ?? server.durationMinutes)}
          onChange={(e) => set('duration', e.target.value)}
        />
        <SelectField
          label={t('caseSession.attendance')}
          value={f.attendance}
          onChange={(e) => set('attendance', chosen(ATTENDANCE, e.target.value) ?? 'present')}
        >
          {ATTENDANCE.map((a) => (
            <option key={a} value={a}>
              {t(`caseSession.attendance.${a}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <fieldset className="choice-group" disabled={absent}>
        <legend>{t('caseSession.engagement')}</legend>
        <div className="scale">
          {ENGAGEMENT.map((n) => (
            <label key={n} className="choice scale-item">
              <input
                type="radio"
                name="engagement"
                value={n}
                checked={f.engagement === String(n)}
                onChange={() => set('engagement', String(n))}
              />
              <span>{t(`caseSession.engagement.${n}`)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {(plan.data?.goals.length ?? 0) > 0 ? (
        <fieldset className="choice-group">
          <legend>{t('caseSession.goals')}</legend>
          {plan.data!.goals.map((g) => (
            <label key={g.id} className="choice">
              <input
                type="checkbox"
                checked={f.goalIds.includes(g.id)}
                onChange={(e) =>
                  set('goalIds', e.target.checked ? [...f.goalIds, g.id] : f.goalIds.filter((x) => x !== g.id))
                }
              />
              <bdi>{g.title}</bdi>
            </label>
          ))}
        </fieldset>
      ) : null}
      <TextAreaField
        label={t('caseSession.notes')}
        hint={t('caseSession.notes.hint')}
        rows={4}
        maxLength={20000}
        value={f.notes}
        error={fm(server.notes)}
        onChange={(e) => set('notes', e.target.value)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={save.isPending}>
          {save.isPending ? t('state.loading') : t('caseSession.save')}
        </button>
      </div>
    </form>
  );
}

/** The Sessions tab (case sessions). */
export function CaseSessionsTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const intl = useIntl();
  const list = useCaseSessions(ctx.participant.id);
  return (
    <div className="split">
      <CaseSessionForm ctx={ctx} />
      <section aria-labelledby="session-list-title">
        <h2 id="session-list-title">{t('caseSession.list')}</h2>
        <ReadState read={list} empty={() => list.items.length === 0 && <EmptyState title={t('caseSession.none')} />}>
          {() => (
            <>
              <ul className="session-list">
                {list.items.map((s) => {
                  const me = s.attendees.find((a) => a.participantId === ctx.participant.id);
                  return (
                    <li key={s.id} className="card">
                      <p className="strong">
                        <DateTime value={s.occurredAt} /> · {t(`caseSession.kind.${s.kind as 'individual'}`)} ·{' '}
                        {t(`role.${s.discipline as 'case_manager'}`)}
                      </p>
                      <p className="small">
                        {t('caseSession.minutes', { count: s.durationMinutes })}
                        {me ? <> · {t(`caseSession.attendance.${me.attendance as 'present'}`)}</> : null}
                        {me?.engagement ? (
                          <>
                            {' '}
                            ·{' '}
                            {t('caseSession.engagementShort', {
                              n: intl.formatNumber(me.engagement),
                              label: t(`caseSession.engagement.${me.engagement as 1}`),
                            })}
                          </>
                        ) : null}
                        {me && me.goalIds.length > 0 ? (
                          <> · {t('caseSession.goalsTouched', { count: me.goalIds.length })}</>
                        ) : null}
                      </p>
                    </li>
                  );
                })}
              </ul>
              <ListFooter list={list} />
            </>
          )}
        </ReadState>
      </section>
    </div>
  );
}
