/** The steps of the intake wizard: duplicate search, program and team, identity, family contacts, notes, review. */
import { Field, SelectField, TextAreaField } from '../../components/field';
import { ErrorAlert } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useContentLabel, useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import type { Team } from './api';
import type { Identity } from '../../../core/participant';
import type { IntakeDraft } from './intake-draft';
import { LEGAL_STATUSES } from './vocabulary';

/** Languages a participant may speak, offered as check boxes. */
export const LANGS = ['ar', 'en', 'ur', 'fr', 'ps', 'fa', 'so', 'ha', 'tr', 'ru', 'id', 'ms'];
const SEXES = ['female', 'male', 'other', 'unknown'] as const satisfies readonly NonNullable<Identity['sex']>[];

/** What every step receives: the draft, a way to change it, and the error of a field path (local or the server's). */
export interface StepProps {
  draft: IntakeDraft;
  update: (patch: Partial<IntakeDraft>) => void;
  err: (path: string) => string | undefined;
}

/** A language code's name in the UI language. */
export function useLanguageName(): (code: string) => string {
  const { locale } = useI18n();
  return (code) => {
    try {
      return new Intl.DisplayNames([locale], { type: 'language' }).of(code) ?? code;
    } catch {
      return code;
    }
  };
}

/** Step 2: program, team, legal status, referral and languages. */
export function ProgramStep({ draft, update, err, myTeams }: StepProps & { myTeams: Team[] }) {
  const t = useT();
  const pick = useLabel();
  const cl = useContentLabel();
  const langName = useLanguageName();
  const index = useProgramIndex();
  const program = index.byId.get(draft.programId);
  return (
    <div className="form-grid">
      <SelectField
        label={t('intake.program')}
        value={draft.programId}
        error={err('programId')}
        onChange={(e) => update({ programId: e.target.value })}
      >
        <option value="">{t('intake.choose')}</option>
        {index.list
          .filter((p) => p.status === 'active')
          .map((p) => (
            <option key={p.id} value={p.id}>
              {pick(p.definition.name)}
            </option>
          ))}
      </SelectField>
      <SelectField
        label={t('intake.team')}
        value={draft.teamId}
        error={err('teamId')}
        onChange={(e) => update({ teamId: e.target.value })}
      >
        <option value="">{t('intake.choose')}</option>
        {myTeams.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('intake.legalStatus')}
        value={draft.legalStatus}
        error={err('legalStatus')}
        onChange={(e) => update({ legalStatus: LEGAL_STATUSES.find((s) => s === e.target.value) ?? '' })}
      >
        <option value="">{t('intake.choose')}</option>
        {LEGAL_STATUSES.map((s) => (
          <option key={s} value={s}>
            {cl('legal', s)}
          </option>
        ))}
      </SelectField>
      <Field
        label={t('intake.referral')}
        hint={t('intake.referral.hint')}
        dir="auto"
        maxLength={200}
        value={draft.referralSource}
        error={err('referralSource')}
        onChange={(e) => update({ referralSource: e.target.value })}
      />
      <fieldset className="choice-group span-all">
        <legend>{t('intake.languages')}</legend>
        <div className="choice-grid">
          {LANGS.map((l) => (
            <label key={l} className="choice">
              <input
                type="checkbox"
                checked={draft.languages.includes(l)}
                onChange={(e) =>
                  update({
                    languages: e.target.checked ? [...draft.languages, l] : draft.languages.filter((x) => x !== l),
                  })
                }
              />
              <span>{langName(l)}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {program ? <p className="muted span-all">{pick(program.definition.summary)}</p> : null}
    </div>
  );
}

/** Step 3: the identity (encrypted, shown later only through an audited reveal). */
export function IdentityStep({ draft, update, err }: StepProps) {
  const t = useT();
  const id = draft.identity;
  const setI = (k: string, v: string) => update({ identity: { ...id, [k]: v } });
  return (
    <>
      <p className="muted">{t('intake.identity.lead')}</p>
      <div className="form-grid">
        <Field
          label={t('identity.givenName')}
          dir="auto"
          required
          maxLength={100}
          value={id.givenName}
          error={err('identity.givenName')}
          onChange={(e) => setI('givenName', e.target.value)}
          autoComplete="off"
        />
        <Field
          label={t('identity.familyName')}
          dir="auto"
          required
          maxLength={100}
          value={id.familyName}
          error={err('identity.familyName')}
          onChange={(e) => setI('familyName', e.target.value)}
          autoComplete="off"
        />
        <Field
          label={t('identity.otherNames')}
          dir="auto"
          maxLength={200}
          value={id.otherNames ?? ''}
          error={err('identity.otherNames')}
          onChange={(e) => setI('otherNames', e.target.value)}
          autoComplete="off"
        />
        <Field
          label={t('identity.dateOfBirth')}
          type="date"
          value={id.dateOfBirth ?? ''}
          error={err('identity.dateOfBirth')}
          onChange={(e) => setI('dateOfBirth', e.target.value)}
        />
        <SelectField label={t('identity.sex')} value={id.sex ?? ''} onChange={(e) => setI('sex', e.target.value)}>
          <option value="">{t('intake.choose')}</option>
          {SEXES.map((s) => (
            <option key={s} value={s}>
              {t(`sex.${s}`)}
            </option>
          ))}
        </SelectField>
        <Field
          label={t('identity.nationalId')}
          dir="ltr"
          maxLength={50}
          value={id.nationalId ?? ''}
          error={err('identity.nationalId')}
          onChange={(e) => setI('nationalId', e.target.value)}
          autoComplete="off"
        />
        <Field
          label={t('identity.nationality')}
          dir="auto"
          maxLength={100}
          value={id.nationality ?? ''}
          error={err('identity.nationality')}
          onChange={(e) => setI('nationality', e.target.value)}
          autoComplete="off"
        />
      </div>
    </>
  );
}

/** Step 4: family contacts, any number. */
export function FamilyStep({ draft, update, err }: StepProps) {
  const t = useT();
  const list = draft.familyContacts;
  const setC = (i: number, k: string, v: string) =>
    update({ familyContacts: list.map((c, j) => (j === i ? { ...c, [k]: v } : c)) });
  return (
    <>
      <p className="muted">{t('intake.family.lead')}</p>
      {list.length === 0 ? <p>{t('intake.family.none')}</p> : null}
      {list.map((c, i) => (
        <fieldset key={i} className="card">
          <legend>{t('intake.family.contact', { n: i + 1 })}</legend>
          <div className="form-grid">
            <Field
              label={t('family.name')}
              dir="auto"
              maxLength={200}
              value={c.name}
              error={err(`familyContacts.${i}.name`)}
              onChange={(e) => setC(i, 'name', e.target.value)}
              autoComplete="off"
            />
            <Field
              label={t('family.relationship')}
              dir="auto"
              maxLength={100}
              value={c.relationship}
              error={err(`familyContacts.${i}.relationship`)}
              onChange={(e) => setC(i, 'relationship', e.target.value)}
            />
            <Field
              label={t('family.phone')}
              type="tel"
              dir="ltr"
              maxLength={50}
              value={c.phone ?? ''}
              onChange={(e) => setC(i, 'phone', e.target.value)}
              autoComplete="off"
            />
            <Field
              label={t('family.address')}
              dir="auto"
              maxLength={500}
              value={c.address ?? ''}
              onChange={(e) => setC(i, 'address', e.target.value)}
              autoComplete="off"
            />
          </div>
          <button
            type="button"
            className="btn btn-quiet btn-small"
            onClick={() => update({ familyContacts: list.filter((_, j) => j !== i) })}
          >
            {t('intake.family.remove', { n: i + 1 })}
          </button>
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="btn"
          onClick={() => update({ familyContacts: [...list, { name: '', relationship: '' }] })}
        >
          {t('intake.family.add')}
        </button>
      </p>
    </>
  );
}

/** Step 5: free-text notes (encrypted). */
export function NotesStep({ draft, update, err }: StepProps) {
  const t = useT();
  return (
    <TextAreaField
      label={t('intake.notes')}
      hint={t('intake.notes.hint')}
      rows={6}
      maxLength={20000}
      value={draft.notes}
      error={err('notes')}
      onChange={(e) => update({ notes: e.target.value })}
    />
  );
}

/** Step 6: everything once more before registering, with the server's refusals per field. */
export function ReviewStep({
  draft,
  teamName,
  error,
  serverErrors,
  message,
}: {
  draft: IntakeDraft;
  teamName: string | undefined;
  error: unknown;
  serverErrors: Record<string, string>;
  message: (code: string) => string | undefined;
}) {
  const t = useT();
  const pick = useLabel();
  const cl = useContentLabel();
  const { locale } = useI18n();
  const langName = useLanguageName();
  const program = useProgramIndex().byId.get(draft.programId);
  const id = draft.identity;
  return (
    <>
      {error ? <ErrorAlert error={error} /> : null}
      <dl className="kv">
        <dt>{t('intake.program')}</dt>
        <dd>{program ? pick(program.definition.name) : '—'}</dd>
        <dt>{t('intake.team')}</dt>
        <dd>{teamName ? <bdi>{teamName}</bdi> : '—'}</dd>
        <dt>{t('intake.legalStatus')}</dt>
        <dd>{cl('legal', draft.legalStatus)}</dd>
        <dt>{t('intake.referral')}</dt>
        <dd>{draft.referralSource ? <bdi>{draft.referralSource}</bdi> : '—'}</dd>
        <dt>{t('intake.languages')}</dt>
        <dd>{draft.languages.length ? new Intl.ListFormat(locale).format(draft.languages.map(langName)) : '—'}</dd>
        <dt>{t('intake.identity')}</dt>
        <dd>
          <bdi>
            {id.givenName} {id.familyName}
          </bdi>
          {id.dateOfBirth ? (
            <>
              {' · '}
              <bdi dir="ltr">{id.dateOfBirth}</bdi>
            </>
          ) : null}
        </dd>
        <dt>{t('intake.family')}</dt>
        <dd>{t('intake.family.count', { count: draft.familyContacts.filter((c) => c.name.trim()).length })}</dd>
        <dt>{t('intake.notes')}</dt>
        <dd>{draft.notes.trim() ? t('intake.notes.present') : '—'}</dd>
      </dl>
      {Object.keys(serverErrors).length > 0 ? (
        <ul className="field-error">
          {Object.entries(serverErrors).map(([p, code]) => (
            <li key={p}>
              <code dir="ltr">{p}</code>: {message(code)}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
