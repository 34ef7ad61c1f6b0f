/**
 * The chair's decision form on an agenda item: outcome, wording, reasons, conditions, next review
 * date and discussion, confirmed in a dialog; disabled with the reason in words without quorum.
 */
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { Field, SelectField, TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useDecide, type AgendaItem, type Meeting } from './api';
import { OUTCOMES, type Outcome } from './vocabulary';
import { useBoardWords } from './words';

export function DecisionForm({ meeting: m, item }: { meeting: Meeting; item: AgendaItem }) {
  const t = useT();
  const fm = useFieldMessage();
  const w = useBoardWords();
  const [outcome, setOutcome] = useState<Outcome | ''>('');
  const [wording, setWording] = useState('');
  const [reasons, setReasons] = useState('');
  const [conditions, setConditions] = useState<string[]>([]);
  const [nextReviewOn, setNextReviewOn] = useState('');
  const [discussion, setDiscussion] = useState('');
  const [tried, setTried] = useState(false);
  const [asking, setAsking] = useState(false);
  const decide = useDecide(m.id, { onSuccess: () => setAsking(false) });
  const check = () => {
    const x: Record<string, string> = {};
    if (!outcome) x.outcome = 'required';
    if (!wording.trim()) x.wording = 'required';
    return x;
  };
  // After a first refused submit, the form's own check follows the corrections.
  const errs = { ...decide.fieldErrors, ...(tried ? check() : {}) };
  const focus = useInvalidFocus();
  const blocked =
    m.state !== 'open' ? t('boards.decide.notOpen') : !item.quorum.met ? t('boards.decide.noQuorum') : null;
  const formId = `decide-${item.id}`;
  const body = () => ({
    outcome: outcome as Outcome,
    wording: wording.trim(),
    reasons: reasons.trim() || undefined,
    conditions: conditions.map((c) => c.trim()).filter(Boolean),
    nextReviewOn: nextReviewOn || undefined,
    discussion: discussion.trim() || undefined,
  });
  return (
    <section className="decision-form card" aria-labelledby={`${formId}-title`}>
      <h4 id={`${formId}-title`}>{t('boards.decide.title', { code: item.code })}</h4>
      {blocked ? (
        <p className="alert alert-warning" id={`${formId}-blocked`}>
          {blocked}
        </p>
      ) : null}
      {/* Before the meeting opens only the reason shows; without quorum the form shows, closed. */}
      {m.state !== 'open' ? null : (
        <form
          ref={focus.ref}
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            const x = check();
            setTried(true);
            if (Object.keys(x).length) {
              focus.refused();
              return;
            }
            decide.reset();
            setAsking(true);
          }}
        >
          <fieldset disabled={Boolean(blocked)} aria-describedby={blocked ? `${formId}-blocked` : undefined}>
            <legend className="visually-hidden">{t('boards.decide.title', { code: item.code })}</legend>
            {decide.error && !asking ? (
              <ErrorAlert error={decide.error} highlighted={Object.keys(decide.fieldErrors).length > 0} />
            ) : null}
            <SelectField
              label={t('boards.outcome')}
              value={outcome}
              onChange={(e) => setOutcome(e.target.value as Outcome)}
              error={fm(errs.outcome)}
            >
              <option value="">{t('boards.choose')}</option>
              {OUTCOMES.map((o) => (
                <option key={o} value={o}>
                  {w('outcome', o)}
                </option>
              ))}
            </SelectField>
            <TextAreaField
              label={t('boards.wording')}
              hint={t('boards.wording.hint')}
              maxLength={2000}
              value={wording}
              onChange={(e) => setWording(e.target.value)}
              error={fm(errs.wording)}
            />
            <TextAreaField
              label={t('boards.reasons')}
              maxLength={4000}
              value={reasons}
              onChange={(e) => setReasons(e.target.value)}
              error={fm(errs.reasons)}
            />
            <fieldset className="conditions">
              <legend>{t('boards.conditions')}</legend>
              <p className="hint">{t('boards.conditions.hint')}</p>
              {conditions.map((c, i) => (
                <div key={i} className="condition-row">
                  <Field
                    label={t('boards.condition', { n: i + 1 })}
                    maxLength={300}
                    value={c}
                    onChange={(e) => setConditions(conditions.map((x, j) => (j === i ? e.target.value : x)))}
                    error={fm(errs[`conditions.${i}`])}
                  />
                  <button
                    type="button"
                    className="btn btn-quiet btn-small"
                    onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
                  >
                    {t('boards.condition.remove', { n: i + 1 })}
                  </button>
                </div>
              ))}
              {conditions.length < 20 ? (
                <button type="button" className="btn btn-small" onClick={() => setConditions([...conditions, ''])}>
                  {t('boards.condition.add')}
                </button>
              ) : null}
            </fieldset>
            <Field
              label={t('boards.nextReview')}
              type="date"
              value={nextReviewOn}
              onChange={(e) => setNextReviewOn(e.target.value)}
              error={fm(errs.nextReviewOn)}
            />
            <TextAreaField
              label={t('boards.discussion')}
              hint={t('boards.discussion.hint')}
              maxLength={8000}
              value={discussion}
              onChange={(e) => setDiscussion(e.target.value)}
              error={fm(errs.discussion)}
            />
            <div className="form-actions">
              <button type="submit" className="btn btn-primary">
                {t('boards.decide')}
              </button>
            </div>
          </fieldset>
        </form>
      )}
      <ConfirmDialog
        open={asking}
        title={t('boards.decide.title', { code: item.code })}
        confirmLabel={t('boards.decide')}
        pending={decide.isPending}
        error={decide.error}
        onCancel={() => setAsking(false)}
        onConfirm={() => decide.mutate({ itemId: item.id, body: body() })}
      >
        <p>
          {t('boards.decide.confirm', {
            code: item.code,
            question: w('question', item.question),
            outcome: outcome ? w('outcome', outcome) : '',
          })}
        </p>
      </ConfirmDialog>
    </section>
  );
}
