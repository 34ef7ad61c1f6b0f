/** Editing one phase of a program: key, review period, names in every language, and its exit gates as data. */
import { useState } from 'react';
import type { Gate, Phase } from '../../../core/program';
import { CONSENT_PURPOSES } from '../../../core/vocabulary';
import { Field, FieldError, SelectField } from '../../components/field';
import { useFieldMessage } from '../../components/states';
import { LOCALE_NAMES, LOCALES } from '../../i18n/locales';
import { useContentLabel, useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useGateText } from '../casework/gate-text';

/** The kinds of exit gate, in the order the editor offers them. */
export const GATE_KINDS = [
  'assessment_finalised',
  'plan_approved',
  'consents_recorded',
  'min_days_in_phase',
  'board_decision',
] as const satisfies readonly Gate['kind'][];

function newGate(kind: string): Gate {
  switch (kind) {
    case 'assessment_finalised':
      return { kind, withinDays: 30 };
    case 'consents_recorded':
      return { kind, purposes: ['services'] };
    case 'min_days_in_phase':
      return { kind, days: 30 };
    case 'board_decision':
      return { kind };
    default:
      return { kind: 'plan_approved' };
  }
}

function GateEditor({
  gate,
  onChange,
  onRemove,
  errorPath,
  errors,
}: {
  gate: Gate;
  onChange: (g: Gate) => void;
  onRemove: () => void;
  errorPath: string;
  errors: Record<string, string>;
}) {
  const t = useT();
  const fm = useFieldMessage();
  const cl = useContentLabel();
  const text = useGateText();
  return (
    <li className="gate-edit">
      <SelectField
        label={t('programs.gate.kind')}
        value={gate.kind}
        onChange={(e) => onChange(newGate(e.target.value))}
      >
        {GATE_KINDS.map((k) => (
          <option key={k} value={k}>
            {t(`programs.gate.${k}`)}
          </option>
        ))}
      </SelectField>
      {gate.kind === 'assessment_finalised' ? (
        <Field
          label={t('programs.gate.withinDays')}
          type="number"
          min={1}
          max={3650}
          value={gate.withinDays}
          error={fm(errors[`${errorPath}.withinDays`])}
          onChange={(e) => onChange({ ...gate, withinDays: Number(e.target.value) })}
        />
      ) : null}
      {gate.kind === 'min_days_in_phase' ? (
        <Field
          label={t('programs.gate.days')}
          type="number"
          min={1}
          max={3650}
          value={gate.days}
          error={fm(errors[`${errorPath}.days`])}
          onChange={(e) => onChange({ ...gate, days: Number(e.target.value) })}
        />
      ) : null}
      {gate.kind === 'consents_recorded' ? (
        <fieldset className="choice-group">
          <legend>{t('programs.gate.purposes')}</legend>
          {CONSENT_PURPOSES.map((p) => (
            <label key={p} className="choice">
              <input
                type="checkbox"
                checked={gate.purposes.includes(p)}
                onChange={(e) =>
                  onChange({
                    ...gate,
                    purposes: e.target.checked ? [...gate.purposes, p] : gate.purposes.filter((x) => x !== p),
                  })
                }
              />
              <span>{cl('consent', p)}</span>
            </label>
          ))}
          <FieldError>{fm(errors[`${errorPath}.purposes`])}</FieldError>
        </fieldset>
      ) : null}
      <p className="small muted">{text.describe(gate)}</p>
      <button type="button" className="btn btn-small btn-quiet" onClick={onRemove}>
        {t('programs.gate.remove')}
      </button>
    </li>
  );
}

/** One phase in the editor: moved, removed and changed as a whole. */
export function PhaseEditor({
  phase,
  i,
  count,
  onChange,
  onMove,
  onRemove,
  errors,
}: {
  phase: Phase;
  i: number;
  count: number;
  onChange: (p: Phase) => void;
  onMove: (d: -1 | 1) => void;
  onRemove: () => void;
  errors: Record<string, string>;
}) {
  const t = useT();
  const fm = useFieldMessage();
  const pick = useLabel();
  const [addKind, setAddKind] = useState<string>('plan_approved');
  const base = `definition.phases.${i}`;
  return (
    <li className="card stack phase-edit">
      <div className="domain-head">
        <h3>{t('programs.phaseN', { n: i + 1, name: pick(phase.name) })}</h3>
        <div className="form-actions">
          <button type="button" className="btn btn-small" disabled={i === 0} onClick={() => onMove(-1)}>
            {t('programs.phase.up')}
            <span className="visually-hidden">: {pick(phase.name)}</span>
          </button>
          <button type="button" className="btn btn-small" disabled={i === count - 1} onClick={() => onMove(1)}>
            {t('programs.phase.down')}
            <span className="visually-hidden">: {pick(phase.name)}</span>
          </button>
          <button type="button" className="btn btn-small btn-quiet" disabled={count <= 2} onClick={onRemove}>
            {t('programs.phase.remove')}
            <span className="visually-hidden">: {pick(phase.name)}</span>
          </button>
        </div>
      </div>
      <div className="form-grid">
        <Field
          label={t('programs.phase.key')}
          hint={t('programs.phase.key.hint')}
          dir="ltr"
          value={phase.key}
          error={fm(errors[`${base}.key`])}
          onChange={(e) => onChange({ ...phase, key: e.target.value })}
        />
        <Field
          label={t('programs.phase.review')}
          type="number"
          min={1}
          max={365}
          value={phase.reviewEveryDays ?? ''}
          error={fm(errors[`${base}.reviewEveryDays`])}
          onChange={(e) => onChange({ ...phase, reviewEveryDays: e.target.value ? Number(e.target.value) : undefined })}
        />
        {LOCALES.map((l) => (
          <Field
            key={l}
            label={t('programs.phase.name', { language: LOCALE_NAMES[l] })}
            lang={l}
            dir={l === 'ar' || l === 'ur' ? 'rtl' : 'ltr'}
            maxLength={200}
            value={phase.name[l]}
            error={fm(errors[`${base}.name.${l}`])}
            onChange={(e) => onChange({ ...phase, name: { ...phase.name, [l]: e.target.value } })}
          />
        ))}
      </div>
      <fieldset className="choice-group">
        <legend>{t('programs.gates')}</legend>
        {phase.exitGates.length === 0 ? <p className="muted">{t('phase.noGates')}</p> : null}
        <ul className="gate-edit-list">
          {phase.exitGates.map((g, j) => (
            <GateEditor
              key={j}
              gate={g}
              errorPath={`${base}.exitGates.${j}`}
              errors={errors}
              onChange={(ng) => onChange({ ...phase, exitGates: phase.exitGates.map((x, k) => (k === j ? ng : x)) })}
              onRemove={() => onChange({ ...phase, exitGates: phase.exitGates.filter((_, k) => k !== j) })}
            />
          ))}
        </ul>
        <div className="inline-add">
          <SelectField label={t('programs.gate.new')} value={addKind} onChange={(e) => setAddKind(e.target.value)}>
            {GATE_KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`programs.gate.${k}`)}
              </option>
            ))}
          </SelectField>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => onChange({ ...phase, exitGates: [...phase.exitGates, newGate(addKind)] })}
          >
            {t('programs.gate.add')}
          </button>
        </div>
      </fieldset>
    </li>
  );
}
