/** One quiz question as the learner answers it: radio buttons, check boxes or one <select> per matching row. */
import { useId } from 'react';
import { Icon } from '../../components/icons';
import { useLabel } from '../../i18n/labels';
import { useT } from '../../i18n/use-t';
import { AcademyError } from './bits';
import { isAnswered, type SaveState } from './quiz-bits';
import type { Answer, QuizItem } from './types';

/** One question: radio buttons, check boxes or one <select> per matching row. */
export function QuestionCard({
  item,
  index,
  total,
  answer,
  save,
  disabled,
  onChange,
}: {
  item: QuizItem;
  index: number;
  total: number;
  answer: Answer | undefined;
  save: SaveState | undefined;
  disabled: boolean;
  onChange: (a: Answer) => void;
}) {
  const t = useT();
  const text = useLabel();
  const hintId = useId();
  const name = `q-${item.id}`;
  const headId = `${name}-head`;
  const choice = answer && 'choice' in answer ? answer.choice : undefined;
  const choices = answer && 'choices' in answer ? answer.choices : [];
  const value = answer && 'value' in answer ? answer.value : undefined;
  const pairs = answer && 'pairs' in answer ? answer.pairs : {};
  const answered = isAnswered(item, answer);
  return (
    <li>
      <section className={`card quiz-item${answered ? ' quiz-answered' : ''}`} aria-labelledby={headId}>
        <div className="quiz-item-head">
          <h2 id={headId} className="quiz-item-num">
            {t('academy.quiz.question', { n: index + 1, total })}
          </h2>
          <span className="save-state" role="status" aria-live="polite">
            {save?.state === 'saving' ? (
              t('academy.quiz.saving')
            ) : save?.state === 'saved' ? (
              <>
                <Icon name="check" />
                {t('academy.quiz.saved')}
              </>
            ) : save?.state === 'error' ? (
              <span className="field-error">{t('academy.quiz.notSaved')}</span>
            ) : null}
          </span>
        </div>
        {item.scenario ? (
          <div className="quiz-scenario">
            <p className="small strong">{t('academy.quiz.scenario')}</p>
            <p>{text(item.scenario)}</p>
          </div>
        ) : null}
        <fieldset
          className="quiz-fieldset"
          disabled={disabled}
          aria-describedby={item.kind === 'multiple' || item.kind === 'matching' ? hintId : undefined}
        >
          <legend className="quiz-stem">{text(item.stem)}</legend>
          {item.kind === 'multiple' ? (
            <p className="hint" id={hintId}>
              {t('academy.quiz.chooseAll')}
            </p>
          ) : item.kind === 'matching' ? (
            <p className="hint" id={hintId}>
              {t('academy.quiz.matchHint')}
            </p>
          ) : null}
          {item.kind === 'single' || item.kind === 'scenario' ? (
            <div className="quiz-options">
              {(item.options ?? []).map((o) => (
                <label key={o.id} className="quiz-option">
                  <input
                    type="radio"
                    name={name}
                    value={o.id}
                    checked={choice === o.id}
                    onChange={() => onChange({ choice: o.id })}
                  />
                  <span>{text(o.text)}</span>
                </label>
              ))}
            </div>
          ) : item.kind === 'multiple' ? (
            <div className="quiz-options">
              {(item.options ?? []).map((o) => (
                <label key={o.id} className="quiz-option">
                  <input
                    type="checkbox"
                    name={name}
                    value={o.id}
                    checked={choices.includes(o.id)}
                    onChange={(e) =>
                      onChange({ choices: e.target.checked ? [...choices, o.id] : choices.filter((c) => c !== o.id) })
                    }
                  />
                  <span>{text(o.text)}</span>
                </label>
              ))}
            </div>
          ) : item.kind === 'truefalse' ? (
            <div className="quiz-options quiz-options-inline">
              {[true, false].map((v) => (
                <label key={String(v)} className="quiz-option">
                  <input
                    type="radio"
                    name={name}
                    value={String(v)}
                    checked={value === v}
                    onChange={() => onChange({ value: v })}
                  />
                  <span>{v ? t('academy.quiz.true') : t('academy.quiz.false')}</span>
                </label>
              ))}
            </div>
          ) : (
            <div className="match-rows">
              {(item.lefts ?? []).map((l) => {
                const sid = `${name}-${l.id}`;
                return (
                  <div key={l.id} className="match-row">
                    <label htmlFor={sid}>{text(l.text)}</label>
                    <select
                      id={sid}
                      value={pairs[l.id] ?? ''}
                      onChange={(e) => {
                        const next = { ...pairs };
                        if (e.target.value) next[l.id] = e.target.value;
                        else delete next[l.id];
                        onChange({ pairs: next });
                      }}
                    >
                      <option value="">{t('academy.quiz.choose')}</option>
                      {(item.rights ?? []).map((r) => (
                        <option key={r.id} value={r.id}>
                          {text(r.text)}
                        </option>
                      ))}
                    </select>
                  </div>
                );
              })}
            </div>
          )}
        </fieldset>
        {save?.state === 'error' ? <AcademyError error={save.error} /> : null}
      </section>
    </li>
  );
}
