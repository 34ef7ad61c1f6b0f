/** Editing a program (/admin/programs/:id): phases (names, order, gates as data), domains, status; If-Match and 409. */
import '../styles/casework.css';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, isApiError } from '../api/client';
import {
  CONSENT_PURPOSES,
  DOMAINS,
  GATE_KINDS,
  type Gate,
  type Phase,
  type Program,
  type ProgramDefinition,
} from '../api/casework';
import { ConflictNotice } from '../components/conflict-notice';
import { Field } from '../components/field';
import { PageHeader } from '../components/page';
import { ErrorAlert, Loading, useFieldMessage } from '../components/states';
import { LOCALES, LOCALE_NAMES } from '../i18n/locales';
import { useT } from '../i18n/use-t';
import { pathErrors, SelectField } from './cases/form-bits';
import { useContentLabel, useLabel } from './cases/labels';
import { useGateText } from './participant/gate-text';

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
          {errors[`${errorPath}.purposes`] ? (
            <p className="field-error">{fm(errors[`${errorPath}.purposes`])}</p>
          ) : null}
        </fieldset>
      ) : null}
      <p className="small muted">{text.describe(gate)}</p>
      <button type="button" className="btn btn-small btn-quiet" onClick={onRemove}>
        {t('programs.gate.remove')}
      </button>
    </li>
  );
}

function PhaseEditor({
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

/** The /admin/programs/:id page. */
export function ProgramEditPage() {
  const t = useT();
  const pick = useLabel();
  const cl = useContentLabel();
  const fm = useFieldMessage();
  const qc = useQueryClient();
  const { id = '' } = useParams();
  const q = useQuery({
    queryKey: ['programs', id],
    queryFn: ({ signal }) => api<Program>('GET', `/api/v1/programs/${id}`, { signal }),
  });
  const [draft, setDraft] = useState<ProgramDefinition | null>(null);
  const [status, setStatus] = useState<'active' | 'archived'>('active');
  const [version, setVersion] = useState(0);
  const [reloaded, setReloaded] = useState<Program | null>(null);
  useEffect(() => {
    if (q.data && draft === null) {
      setDraft(structuredClone(q.data.definition));
      setStatus(q.data.status);
      setVersion(q.data.version);
    }
  }, [q.data, draft]);
  const save = useMutation({
    mutationFn: () => api<Program>('PUT', `/api/v1/programs/${id}`, { body: { definition: draft, status }, version }),
    onSuccess: (p) => {
      setVersion(p.version);
      setDraft(structuredClone(p.definition));
      setReloaded(null);
      qc.setQueryData(['programs', id], p);
      void qc.invalidateQueries({ queryKey: ['programs'] });
    },
  });
  const reload = useMutation({
    mutationFn: () => api<Program>('GET', `/api/v1/programs/${id}`),
    onSuccess: (p) => {
      setReloaded(p);
      setVersion(p.version);
      save.reset();
    },
  });
  if (q.isPending || !draft)
    return q.isError ? <ErrorAlert error={q.error} onRetry={() => void q.refetch()} /> : <Loading />;
  const errors = pathErrors(save.error);
  const conflict = isApiError(save.error, 'VERSION_CONFLICT');
  const setPhases = (phases: Phase[]) => setDraft({ ...draft, phases });
  const move = (i: number, d: -1 | 1) => {
    const next = [...draft.phases];
    const [p] = next.splice(i, 1);
    next.splice(i + d, 0, p!);
    setPhases(next);
  };
  const theirsPhases = reloaded ? reloaded.definition.phases.map((p) => pick(p.name)).join(' · ') : '';
  const yoursPhases = draft.phases.map((p) => pick(p.name)).join(' · ');

  return (
    <>
      <p className="breadcrumb">
        <Link to="/admin/programs">{t('programs.back')}</Link>
      </p>
      <PageHeader title={pick(draft.name)} lead={pick(draft.summary)} />
      <form
        className="stack"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        {conflict ? (
          <ConflictNotice reloading={reload.isPending} reloadError={reload.error} onReload={() => reload.mutate()} />
        ) : save.isError ? (
          <ErrorAlert error={save.error} />
        ) : null}
        {reloaded ? (
          <div className="alert alert-info" role="status">
            <p>{t('conflict.reapply')}</p>
            <dl className="kv">
              <dt>{t('conflict.current')}</dt>
              <dd>
                {theirsPhases} · {t(`programs.status.${reloaded.status}`)}
              </dd>
              <dt>{t('conflict.yours')}</dt>
              <dd>
                {yoursPhases} · {t(`programs.status.${status}`)}
              </dd>
            </dl>
          </div>
        ) : null}
        {save.isSuccess ? (
          <p className="alert alert-success" role="status">
            {t('programs.saved')}
          </p>
        ) : null}
        <section className="card stack" aria-labelledby="prog-general">
          <h2 id="prog-general">{t('programs.general')}</h2>
          <SelectField
            label={t('programs.col.status')}
            value={status}
            onChange={(e) => setStatus(e.target.value as 'active' | 'archived')}
          >
            <option value="active">{t('programs.status.active')}</option>
            <option value="archived">{t('programs.status.archived')}</option>
          </SelectField>
          <Field
            label={t('programs.noSessionDays')}
            type="number"
            min={1}
            max={365}
            value={draft.noSessionAlertDays ?? 21}
            error={fm(errors['definition.noSessionAlertDays'])}
            onChange={(e) => setDraft({ ...draft, noSessionAlertDays: Number(e.target.value) })}
          />
          <fieldset className="choice-group">
            <legend>{t('programs.domains')}</legend>
            <div className="choice-grid">
              {DOMAINS.map((d) => (
                <label key={d} className="choice">
                  <input
                    type="checkbox"
                    checked={draft.domains.includes(d)}
                    onChange={(e) =>
                      setDraft({
                        ...draft,
                        domains: e.target.checked ? [...draft.domains, d] : draft.domains.filter((x) => x !== d),
                      })
                    }
                  />
                  <span>{cl('domain', d)}</span>
                </label>
              ))}
            </div>
            {errors['definition.domains'] ? <p className="field-error">{t('programs.domains.error')}</p> : null}
          </fieldset>
        </section>
        <section aria-labelledby="prog-phases">
          <h2 id="prog-phases">{t('programs.phases')}</h2>
          <ol className="phase-edit-list">
            {draft.phases.map((p, i) => (
              <PhaseEditor
                key={i}
                phase={p}
                i={i}
                count={draft.phases.length}
                errors={errors}
                onChange={(np) => setPhases(draft.phases.map((x, j) => (j === i ? np : x)))}
                onMove={(d) => move(i, d)}
                onRemove={() => setPhases(draft.phases.filter((_, j) => j !== i))}
              />
            ))}
          </ol>
          <button
            type="button"
            className="btn"
            onClick={() =>
              setPhases([
                ...draft.phases,
                {
                  key: `phase_${draft.phases.length + 1}`,
                  name: { en: 'New phase', ar: 'مرحلة جديدة', ur: 'نیا مرحلہ', fr: 'Nouvelle phase' },
                  exitGates: [],
                },
              ])
            }
          >
            {t('programs.phase.add')}
          </button>
        </section>
        <div className="form-actions sticky-actions">
          <button type="submit" className="btn btn-primary" disabled={save.isPending || conflict}>
            {reloaded ? t('programs.reapply') : t('action.save')}
          </button>
        </div>
      </form>
    </>
  );
}
