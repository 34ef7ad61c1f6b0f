/** Builds a meeting's agenda: cases from the work queue waiting on this board (one click each), or by hand. */
import { useState } from 'react';
import { SelectField, TextAreaField } from '../../components/field';
import { Code } from '../../components/rich-text';
import { useInvalidFocus } from '../../components/form-focus';
import { ErrorAlert, useFieldMessage } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { useAddAgendaItem, useCandidates, useCaseload, type Meeting } from './api';
import { BOARD_QUESTIONS, type BoardQuestion } from './vocabulary';
import { useBoardWords } from './words';

export function AgendaBuilder({ meeting: m }: { meeting: Meeting }) {
  const t = useT();
  const w = useBoardWords();
  const index = useProgramIndex();
  const candidates = useCandidates(m.id, true);
  const add = useAddAgendaItem(m.id);
  const [byHand, setByHand] = useState(false);
  // Open while the agenda is empty; once cases are on it, the waiting list folds away behind a button.
  const [showList, setShowList] = useState(m.items.length === 0);
  const list = candidates.data?.items ?? [];
  return (
    <div className="card stack agenda-builder">
      <h3 id="candidates-title">{t('boards.candidates')}</h3>
      <p className="hint">{t('boards.candidates.hint')}</p>
      {add.error && !byHand ? <ErrorAlert error={add.error} /> : null}
      {candidates.isError ? <ErrorAlert error={candidates.error} onRetry={() => void candidates.refetch()} /> : null}
      {candidates.data && list.length === 0 ? <p className="muted">{t('boards.candidates.none')}</p> : null}
      {list.length && m.items.length > 0 ? (
        <p>
          <button
            type="button"
            className="btn btn-quiet"
            aria-expanded={showList}
            onClick={() => setShowList(!showList)}
          >
            {showList ? t('boards.candidates.hide') : t('boards.candidates.show', { n: list.length })}
          </button>
        </p>
      ) : null}
      {list.length && (showList || m.items.length === 0) ? (
        <ul className="candidate-list" aria-labelledby="candidates-title">
          {list.map((c) => (
            <li key={`${c.participantId}-${c.question}`} className="candidate">
              <span>
                <Code>{c.code}</Code> · {index.phaseName(m.board.programId, c.phaseKey)}
                <br />
                <span className="strong">{w('question', c.question)}</span>{' '}
                <span className="muted small">({w('source', c.source)})</span>
              </span>
              <button
                type="button"
                className="btn btn-small"
                disabled={add.isPending}
                aria-label={t('boards.candidates.addOne', { code: c.code, question: w('question', c.question) })}
                onClick={() => add.mutate({ participantId: c.participantId, question: c.question, source: c.source })}
              >
                {t('boards.candidates.add')}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <p>
        <button type="button" className="btn btn-quiet" aria-expanded={byHand} onClick={() => setByHand(!byHand)}>
          {t('boards.byHand')}
        </button>
      </p>
      {byHand ? <ByHand meeting={m} onDone={() => setByHand(false)} /> : null}
    </div>
  );
}

function ByHand({ meeting: m, onDone }: { meeting: Meeting; onDone: () => void }) {
  const t = useT();
  const fm = useFieldMessage();
  const w = useBoardWords();
  const caseload = useCaseload(true);
  const [participantId, setParticipantId] = useState('');
  const [question, setQuestion] = useState<BoardQuestion | ''>('');
  const [reason, setReason] = useState('');
  const [notes, setNotes] = useState('');
  const [tried, setTried] = useState(false);
  const add = useAddAgendaItem(m.id, { onSuccess: onDone });
  const check = () => {
    const x: Record<string, string> = {};
    if (!participantId) x.participantId = 'required';
    if (!question) x.question = 'required';
    if (!reason.trim()) x.reason = 'required';
    return x;
  };
  // After a first refused submit, the form's own check follows the corrections.
  const errs = { ...add.fieldErrors, ...(tried ? check() : {}) };
  const focus = useInvalidFocus(add.error);
  const cases = (caseload.data?.items ?? []).filter((p) => p.programId === m.board.programId);
  return (
    <form
      ref={focus.ref}
      className="stack"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const x = check();
        setTried(true);
        if (Object.keys(x).length || !question) {
          focus.refused();
          return;
        }
        add.mutate({
          participantId,
          question,
          source: 'by_hand',
          reason: reason.trim(),
          boardNotes: notes.trim() || undefined,
        });
      }}
    >
      {add.error ? <ErrorAlert error={add.error} highlighted={Object.keys(add.fieldErrors).length > 0} /> : null}
      <SelectField
        label={t('boards.case')}
        hint={t('boards.case.hint')}
        value={participantId}
        onChange={(e) => setParticipantId(e.target.value)}
        error={fm(errs.participantId)}
      >
        <option value="">{t('boards.choose')}</option>
        {cases.map((p) => (
          <option key={p.id} value={p.id}>
            {p.code}
          </option>
        ))}
      </SelectField>
      <SelectField
        label={t('boards.question')}
        value={question}
        onChange={(e) => setQuestion(e.target.value as BoardQuestion)}
        error={fm(errs.question)}
      >
        <option value="">{t('boards.choose')}</option>
        {BOARD_QUESTIONS.map((q) => (
          <option key={q} value={q}>
            {w('question', q)}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        label={t('boards.reason')}
        hint={t('boards.reason.hint')}
        maxLength={1000}
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        error={fm(errs.reason)}
      />
      <TextAreaField
        label={t('boards.boardNotes')}
        hint={t('boards.boardNotes.hint')}
        maxLength={4000}
        value={notes}
        onChange={(e) => setNotes(e.target.value)}
        error={fm(errs.boardNotes)}
      />
      <div className="form-actions">
        <button type="submit" className="btn btn-primary" disabled={add.isPending}>
          {t('boards.addToAgenda')}
        </button>
      </div>
    </form>
  );
}
