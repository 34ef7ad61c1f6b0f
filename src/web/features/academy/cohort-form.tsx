/** The cohort form shared by the new-cohort and edit-cohort dialogs: name, member state, language, dates, capacity and facilitators. */
import { fieldErrors } from '../../api/client';
import { useId, useMemo } from 'react';
import type { Locale } from '../../api/types';
import { Field, FieldError, SelectField } from '../../components/field';
import { ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { LOCALE_NAMES, LOCALES } from '../../i18n/locales';
import { useT } from '../../i18n/use-t';
import { COUNTRY_CODES, useCountryName } from './bits';
import { useFacilitators } from './staff-api';
import type { CohortDetail, CohortInput } from './types';

/** Field paths the form shows inline (AcademyError leaves them to it). */
export const COHORT_FIELDS = ['name', 'memberState', 'language', 'startsOn', 'endsOn', 'capacity', 'facilitatorIds'];
/** The most facilitators the server takes per cohort. */
export const MAX_FACILITATORS = 20;

export interface CohortForm {
  name: string;
  memberState: string;
  language: Locale;
  startsOn: string;
  endsOn: string;
  capacity: string;
  facilitatorIds: string[];
}

export function newCohortForm(language: Locale): CohortForm {
  return { name: '', memberState: '', language, startsOn: '', endsOn: '', capacity: '30', facilitatorIds: [] };
}

export function cohortFormOf(c: CohortDetail): CohortForm {
  return {
    name: c.name,
    memberState: c.memberState,
    language: c.language,
    startsOn: c.startsOn,
    endsOn: c.endsOn,
    capacity: String(c.capacity),
    facilitatorIds: c.facilitators.map((f) => f.id),
  };
}

export function cohortInput(f: CohortForm): CohortInput {
  return {
    name: f.name.trim(),
    memberState: f.memberState,
    language: f.language,
    startsOn: f.startsOn,
    endsOn: f.endsOn,
    capacity: Number(f.capacity),
    facilitatorIds: f.facilitatorIds,
  };
}

/** What the browser can tell before sending: the end before the start, too many facilitators. */
export function cohortFormProblems(f: CohortForm): { dates: boolean; facilitators: boolean } {
  return {
    dates: Boolean(f.startsOn && f.endsOn && f.endsOn < f.startsOn),
    facilitators: f.facilitatorIds.length > MAX_FACILITATORS,
  };
}

/**
 * Facilitator id → detail code, from a validation error whose paths index the ids that were sent
 * (`facilitatorIds.2` → the third id sent, even if the choice changed since).
 */
function facilitatorErrors(error: unknown, sent: readonly string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, code] of Object.entries(fieldErrors(error))) {
    const m = /^facilitatorIds\.(\d+)$/.exec(path);
    const id = m ? sent?.[Number(m[1])] : undefined;
    if (id && !out[id]) out[id] = code;
  }
  return out;
}

interface PickerProps {
  value: string[];
  onChange: (ids: string[]) => void;
  /** Facilitators the cohort has now (kept visible even when no longer an active facilitator). */
  assigned: readonly { id: string; name: string }[];
  perId: Record<string, string>;
  error?: string;
}

/** Checkboxes of the tenant's active facilitators; any number may be chosen. */
function FacilitatorPicker({ value, onChange, assigned, perId, error }: PickerProps) {
  const t = useT();
  const code = useFieldMessage('academy');
  const id = useId();
  const list = useFacilitators();
  const options = useMemo(() => {
    const active = list.data?.items ?? [];
    const gone = assigned.filter((a) => !active.some((f) => f.id === a.id)).map((a) => ({ ...a, inactive: true }));
    return [...active.map((f) => ({ ...f, inactive: false })), ...gone];
  }, [list.data, assigned]);
  const chosen = new Set(value);
  const toggle = (fid: string, on: boolean) => onChange(on ? [...value, fid] : value.filter((x) => x !== fid));
  return (
    <fieldset
      className={`field${error ? ' field-invalid' : ''}`}
      aria-describedby={`${id}-hint${error ? ` ${id}-err` : ''}`}
    >
      <legend>{t('academy.cohort.facilitators')}</legend>
      <p className="hint" id={`${id}-hint`}>
        {t('academy.cohortForm.facilitatorsHint', { max: MAX_FACILITATORS })}
      </p>
      {list.isPending ? (
        <Loading />
      ) : list.isError ? (
        <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />
      ) : options.length === 0 ? (
        <p className="muted">{t('academy.cohortForm.noFacilitators')}</p>
      ) : (
        <ul className="facilitator-list">
          {options.map((f) => {
            const problem = perId[f.id];
            const errId = problem ? `${id}-${f.id}-err` : undefined; // FieldError's id
            return (
              <li key={f.id}>
                <label className="choice">
                  <input
                    type="checkbox"
                    checked={chosen.has(f.id)}
                    aria-invalid={problem ? true : undefined}
                    aria-describedby={errId}
                    onChange={(e) => toggle(f.id, e.target.checked)}
                  />
                  <bdi>{f.name}</bdi>
                  {f.inactive ? (
                    <span className="muted small">{t('academy.cohortForm.inactiveFacilitator')}</span>
                  ) : null}
                </label>
                <FieldError id={`${id}-${f.id}`}>{code(problem)}</FieldError>
              </li>
            );
          })}
        </ul>
      )}
      {options.length > 0 ? (
        <p className="small muted" aria-live="polite">
          {t('academy.cohortForm.facilitatorsChosen', { count: value.length })}
        </p>
      ) : null}
      <FieldError id={id}>{error}</FieldError>
    </fieldset>
  );
}

interface FieldsProps {
  form: CohortForm;
  onChange: (next: CohortForm) => void;
  /** The failed request's error, and the input it sent (to place facilitator errors). */
  error: unknown;
  sent?: CohortInput;
  /** Shown after a submit the browser refused (see cohortFormProblems). */
  problems: { dates: boolean; facilitators: boolean };
  /** Editing: the facilitators the cohort has now, and whether its start date is fixed. */
  assigned?: readonly { id: string; name: string }[];
  startLocked?: boolean;
  /** Editing: the learners already enrolled (capacity cannot go below). */
  minCapacity?: number;
}

/** The cohort's fields with inline errors (server codes by field path, and the browser's own checks). */
export function CohortFields({
  form,
  onChange,
  error,
  sent,
  problems,
  assigned = [],
  startLocked = false,
  minCapacity = 1,
}: FieldsProps) {
  const t = useT();
  const { locale } = useI18n();
  const country = useCountryName();
  const code = useFieldMessage('academy');
  const errs = fieldErrors(error);
  const set = (k: Exclude<keyof CohortForm, 'facilitatorIds'>) => (e: { target: { value: string } }) =>
    onChange({ ...form, [k]: e.target.value });
  const countries = useMemo(
    () => COUNTRY_CODES.map((c) => ({ c, name: country(c) })).sort((a, b) => a.name.localeCompare(b.name, locale)),
    [country, locale],
  );
  const err = (k: string): string | undefined => {
    const c = errs[k];
    if (k === 'endsOn' && (problems.dates || c === 'before_start' || c === 'custom'))
      return t('academy.cohorts.endsBeforeStart');
    if (k === 'capacity' && c) {
      const min = /^min:(\d+)$/.exec(c);
      if (min) return t('academy.cohortForm.capacityMin', { n: Number(min[1]) });
    }
    if (k === 'facilitatorIds' && problems.facilitators) return code(`max:${MAX_FACILITATORS}`);
    return code(c);
  };
  return (
    <>
      <Field
        label={t('academy.cohorts.name')}
        required
        maxLength={120}
        dir="auto"
        autoComplete="off"
        value={form.name}
        error={err('name')}
        onChange={set('name')}
      />
      <div className="form-grid">
        <SelectField
          label={t('academy.cohorts.country')}
          required
          value={form.memberState}
          error={errs.memberState ? err('memberState') : undefined}
          onChange={set('memberState')}
        >
          <option value="">{t('academy.cohorts.chooseCountry')}</option>
          {countries.map(({ c, name }) => (
            <option key={c} value={c}>
              {name} ({c})
            </option>
          ))}
        </SelectField>
        <SelectField
          label={t('academy.cohorts.language')}
          value={form.language}
          error={errs.language ? err('language') : undefined}
          onChange={set('language')}
        >
          {LOCALES.map((l) => (
            <option key={l} value={l} lang={l}>
              {LOCALE_NAMES[l]}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('academy.cohorts.startsOn')}
          type="date"
          required
          readOnly={startLocked}
          hint={startLocked && errs.startsOn !== 'cohort_started' ? t('academy.cohortForm.startLocked') : undefined}
          value={form.startsOn}
          error={err('startsOn')}
          onChange={set('startsOn')}
        />
        <Field
          label={t('academy.cohorts.endsOn')}
          type="date"
          required
          min={form.startsOn || undefined}
          value={form.endsOn}
          error={err('endsOn')}
          onChange={set('endsOn')}
        />
        <Field
          label={t('academy.cohorts.capacity')}
          type="number"
          inputMode="numeric"
          required
          min={Math.max(1, minCapacity)}
          max={5000}
          step={1}
          hint={minCapacity > 1 ? t('academy.cohortForm.capacityHint', { n: minCapacity }) : undefined}
          value={form.capacity}
          error={err('capacity')}
          onChange={set('capacity')}
        />
      </div>
      <FacilitatorPicker
        value={form.facilitatorIds}
        onChange={(facilitatorIds) => onChange({ ...form, facilitatorIds })}
        assigned={assigned}
        perId={facilitatorErrors(error, sent?.facilitatorIds)}
        error={err('facilitatorIds')}
      />
    </>
  );
}
