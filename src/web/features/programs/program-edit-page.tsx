/** Editing a program (/admin/programs/:id): phases (names, order, gates as data), domains, status; If-Match and 409. */
import '../../styles/casework.css';
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import type { Phase, ProgramDefinition } from '../../../core/program';
import { DOMAINS } from '../../../core/vocabulary';
import { ConflictNotice } from '../../components/conflict-notice';
import { Field, FieldError, SelectField } from '../../components/field';
import { PageHeader } from '../../components/page';
import { ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useContentLabel, useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useProgram, useReloadProgram, useSaveProgram, type Program } from './api';
import { PhaseEditor } from './phase-editor';

/** The /admin/programs/:id page. */
export function ProgramEditPage() {
  const t = useT();
  const pick = useLabel();
  const cl = useContentLabel();
  const fm = useFieldMessage();
  const { id = '' } = useParams();
  const q = useProgram(id);
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
  const save = useSaveProgram(id, {
    onSuccess: (p) => {
      setVersion(p.version);
      setDraft(structuredClone(p.definition));
      setReloaded(null);
    },
  });
  const reload = useReloadProgram(id, {
    onSuccess: (p) => {
      setReloaded(p);
      setVersion(p.version);
      save.reset();
    },
  });
  if (q.isPending || !draft)
    return q.isError ? <ErrorAlert error={q.error} onRetry={() => void q.refetch()} /> : <Loading />;
  const errors = save.fieldErrors;
  const conflict = save.conflict;
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
          save.mutate({ definition: draft, status, version });
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
            <FieldError>{errors['definition.domains'] ? t('programs.domains.error') : null}</FieldError>
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
