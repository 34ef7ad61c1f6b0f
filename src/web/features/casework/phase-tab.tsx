/** Phase: each exit gate met or unmet with its reason; move forward (override by a supervisor) or back; history. */
import { useState, type ReactNode } from 'react';
import { useCan } from '../../api/abilities';
import { fieldErrors } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ConflictNotice } from '../../components/conflict-notice';
import { DateTime } from '../../components/date-time';
import { SelectField, TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { Icon } from '../../components/icons';
import { Code, useRichT } from '../../components/rich-text';
import { Announcer, EmptyState, ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useProgramIndex } from '../programs/program-index';
import { useGates, useMovePhase, useTransitions } from './api';
import { useGateText } from './gate-text';

/** The Phase tab. */
export function PhaseTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const fm = useFieldMessage();
  const rt = useRichT();
  const id = ctx.participant.id;
  const gates = useGates(id, Boolean(ctx.participant.phaseKey));
  const history = useTransitions(id);
  const index = useProgramIndex();
  const text = useGateText();
  // Moving on with unmet gates is an override: only for those the policy lets override.
  const lead = useCan()('phase.override');
  const [direction, setDirection] = useState<'forward' | 'back'>('forward');
  const [backTo, setBackTo] = useState('');
  const [reason, setReason] = useState('');
  const [override, setOverride] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  // The move waiting for confirmation (the form's check passed), and the words of the last one recorded.
  const [asking, setAsking] = useState<{ from: string; to: string; override: boolean } | null>(null);
  const [done, setDone] = useState<ReactNode>(null);
  const phaseName = (k: string | null | undefined) => index.phaseName(ctx.participant.programId, k);

  const move = useMovePhase(id, {
    onSuccess: () => {
      setReason('');
      setOverride('');
      setBackTo('');
    },
  });
  // Server refusals of a field come back to the form (see onConfirm); the dialog shows the others.
  const focus = useInvalidFocus();
  if (!ctx.participant.phaseKey) return <EmptyState title={t('phase.noProgram')} />;
  if (gates.isPending) return <Loading />;
  if (gates.isError) return <ErrorAlert error={gates.error} onRetry={() => void gates.refetch()} />;
  const g = gates.data;
  const conflict = move.conflict;
  const server = move.fieldErrors;
  const needsOverride = direction === 'forward' && !g.ready;
  const canMove = direction === 'back' ? g.back.length > 0 : Boolean(g.next) && (g.ready || lead);

  return (
    <div className="stack">
      <section aria-labelledby="gates-title">
        <h2 id="gates-title">{t('phase.gates', { phase: phaseName(g.phaseKey) })}</h2>
        {g.results.length === 0 ? (
          <p className="muted">{t('phase.noGates')}</p>
        ) : (
          <ul className="gate-list">
            {g.results.map((r, i) => (
              <li key={i} className={r.met ? 'gate gate-met' : 'gate gate-unmet'}>
                <span className="gate-icon" aria-hidden="true">
                  <Icon name={r.met ? 'check' : 'cross'} />
                </span>
                <span>
                  <span className="strong">{text.describe(r.gate)}</span>
                  <span className="visually-hidden">: </span>
                  <span className={`chip ${r.met ? 'chip-ok' : 'chip-disabled'}`}>
                    {r.met ? t('phase.met') : t('phase.unmet')}
                  </span>
                  <br />
                  <span className="small">{text.reason(r)}</span>
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className={g.ready ? 'alert alert-success' : 'alert alert-info'} role="status">
          {g.next
            ? g.ready
              ? t('phase.ready', { next: phaseName(g.next) })
              : t('phase.notReady', { next: phaseName(g.next) })
            : t('phase.last')}
        </p>
      </section>

      <form
        ref={focus.ref}
        className="card stack"
        aria-labelledby="move-title"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const m: Record<string, string> = {};
          const toPhase = direction === 'forward' ? (g.next ?? '') : backTo;
          if (!toPhase) m.toPhase = 'required';
          if (reason.trim().length < 3) m.reason = reason.trim() ? 'too_small' : 'required';
          if (needsOverride && override.trim().length < 10)
            m.overrideReason = override.trim() ? 'too_small' : 'required';
          setMissing(m);
          setDone(null);
          if (Object.keys(m).length > 0) {
            focus.refused();
            return;
          }
          move.reset();
          setAsking({ from: g.phaseKey, to: toPhase, override: needsOverride });
        }}
      >
        <h2 id="move-title">{t('phase.move')}</h2>
        {conflict ? (
          <ConflictNotice
            message={t('phase.conflict')}
            reloading={gates.isFetching}
            onReload={() => void gates.refetch().then(() => move.reset())}
          />
        ) : move.isError && !asking ? (
          <ErrorAlert error={move.error} highlighted={Object.keys(server).length > 0} />
        ) : null}
        <Announcer text={done} />
        <fieldset className="choice-group">
          <legend>{t('phase.direction')}</legend>
          <label className="choice">
            <input
              type="radio"
              name="direction"
              checked={direction === 'forward'}
              disabled={!g.next}
              onChange={() => setDirection('forward')}
            />
            <span>{g.next ? t('phase.forward', { phase: phaseName(g.next) }) : t('phase.last')}</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="direction"
              checked={direction === 'back'}
              disabled={g.back.length === 0}
              onChange={() => setDirection('back')}
            />
            <span>{t('phase.backward')}</span>
          </label>
        </fieldset>
        {direction === 'back' ? (
          <SelectField
            label={t('phase.backTo')}
            value={backTo}
            error={fm(missing.toPhase ?? server.toPhase)}
            onChange={(e) => setBackTo(e.target.value)}
          >
            <option value="">{t('intake.choose')}</option>
            {g.back.map((k) => (
              <option key={k} value={k}>
                {phaseName(k)}
              </option>
            ))}
          </SelectField>
        ) : null}
        {needsOverride && !lead && g.next ? (
          <p className="alert alert-warning">{t('phase.overrideNeedsSupervisor')}</p>
        ) : null}
        <TextAreaField
          label={t('phase.reason')}
          hint={t('phase.reason.hint')}
          maxLength={2000}
          value={reason}
          error={fm(missing.reason ?? server.reason)}
          onChange={(e) => setReason(e.target.value)}
        />
        {needsOverride && lead && g.next ? (
          <TextAreaField
            label={t('phase.override')}
            hint={t('phase.override.hint')}
            maxLength={2000}
            value={override}
            error={fm(missing.overrideReason ?? server.overrideReason)}
            onChange={(e) => setOverride(e.target.value)}
          />
        ) : null}
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" disabled={move.isPending || conflict || !canMove}>
            {direction === 'back'
              ? t('phase.moveBack')
              : needsOverride
                ? t('phase.moveOverride')
                : t('phase.moveForward')}
          </button>
        </div>
      </form>
      <ConfirmDialog
        open={asking !== null}
        title={rt('casework.phase.confirm.title', { code: <Code>{ctx.participant.code}</Code> })}
        confirmLabel={
          asking?.override
            ? t('phase.moveOverride')
            : direction === 'back'
              ? t('phase.moveBack')
              : t('phase.moveForward')
        }
        tone={asking?.override ? 'danger' : 'primary'}
        pending={move.isPending}
        error={move.error}
        conflict={
          conflict ? (
            <ConflictNotice
              message={t('phase.conflict')}
              reloading={gates.isFetching}
              onReload={() => void gates.refetch().then(() => setAsking(null))}
            />
          ) : undefined
        }
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          if (!asking) return;
          const words = rt('casework.phase.done', {
            code: <Code>{ctx.participant.code}</Code>,
            from: phaseName(asking.from),
            to: phaseName(asking.to),
          });
          move.mutate(
            {
              toPhase: asking.to,
              reason: reason.trim(),
              overrideReason: asking.override ? override.trim() : undefined,
              participantVersion: g.participantVersion,
            },
            {
              onSuccess: () => {
                setAsking(null);
                setDone(words);
              },
              // A refused field is the form's: back to it (focus goes to the field).
              onError: (e) => {
                if (Object.keys(fieldErrors(e)).length === 0) return;
                setAsking(null);
                focus.refused();
              },
            },
          );
        }}
      >
        {asking ? (
          <>
            <p>
              {rt('casework.phase.confirm.what', {
                code: <Code>{ctx.participant.code}</Code>,
                from: phaseName(asking.from),
                to: phaseName(asking.to),
              })}
            </p>
            {asking.override ? (
              <p className="alert alert-warning">
                {t('casework.phase.confirm.override', { count: g.results.filter((r) => !r.met).length })}
              </p>
            ) : null}
            <dl className="kv">
              <dt>{t('phase.reason')}</dt>
              <dd>
                <bdi>{reason.trim()}</bdi>
              </dd>
              {asking.override ? (
                <>
                  <dt>{t('phase.override')}</dt>
                  <dd>
                    <bdi>{override.trim()}</bdi>
                  </dd>
                </>
              ) : null}
            </dl>
          </>
        ) : null}
      </ConfirmDialog>

      <section aria-labelledby="history-title">
        <h2 id="history-title">{t('phase.history')}</h2>
        {history.data && history.data.items.length > 0 ? (
          <ul className="session-list">
            {history.data.items.map((h) => (
              <li key={h.id} className="card">
                <p className="strong">
                  <DateTime value={h.createdAt} /> ·{' '}
                  {t('phase.fromTo', { from: phaseName(h.fromPhase), to: phaseName(h.toPhase) })} (
                  {t(`phase.dir.${h.direction}`)})
                </p>
                <p dir="auto">{h.reason}</p>
                {h.overrideReason ? (
                  <p className="small">
                    {t('phase.overrideBy')}: <bdi>{h.overrideReason}</bdi>
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('phase.history.none')}</p>
        )}
      </section>
    </div>
  );
}
