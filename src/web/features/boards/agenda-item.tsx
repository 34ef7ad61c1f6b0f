/**
 * One agenda item: the case and the question, the reason, the item's quorum, conflicts declared, the
 * votes with reasons and the tally, the member's own vote, the chair's decision form (closed with the
 * reason when the board cannot decide), the decision with its dissent, and the evidence pack.
 */
import { useState } from 'react';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DateTime } from '../../components/date-time';
import { Code } from '../../components/rich-text';
import { ErrorAlert } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { useRecuse, useVote, type AgendaItem, type Meeting } from './api';
import { PackDialog } from './pack-dialog';
import type { Vote } from './vocabulary';
import { useBoardWords, useQuorumLine } from './words';
import { ConditionsToGoals } from './conditions-to-goals';
import { DecisionForm } from './decision-form';

export function AgendaItemCard({ meeting: m, item, myId }: { meeting: Meeting; item: AgendaItem; myId: string }) {
  const t = useT();
  const w = useBoardWords();
  const quorumLine = useQuorumLine();
  const index = useProgramIndex();
  const [packOpen, setPackOpen] = useState(false);
  const [recusing, setRecusing] = useState(false);
  const [voting, setVoting] = useState<Vote | null>(null);
  const recuse = useRecuse(m.id, { onSuccess: () => setRecusing(false) });
  const vote = useVote(m.id, { onSuccess: () => setVoting(null) });
  const headId = `item-${item.id}`;
  const isOpen = m.state === 'open';
  const member = m.board.mine.member;
  const present = m.present.includes(myId);
  const recused = item.recused.some((r) => r.userId === myId);
  const mayVote = isOpen && member && present && !recused && !item.myVote && !item.decision;
  const mayRecuse =
    (m.state === 'scheduled' || m.state === 'open') && member && !recused && !item.myVote && !item.decision;
  const tally = { agree: 0, disagree: 0, abstain: 0 };
  for (const v of item.votes) tally[v.vote] += 1;
  const dissent = item.votes.filter((v) => v.vote === 'disagree');
  return (
    <li className="card agenda-item stack" aria-labelledby={headId}>
      <div className="item-head">
        <h3 id={headId}>
          <Code>{item.code}</Code> — {w('question', item.question)}
        </h3>
        <button type="button" className="btn btn-small" onClick={() => setPackOpen(true)}>
          {t('boards.pack')}
        </button>
      </div>
      <dl className="kv">
        <dt>{t('boards.phase')}</dt>
        <dd>{index.phaseName(m.board.programId, item.phaseKey)}</dd>
        <dt>{t('boards.source')}</dt>
        <dd>{w('source', item.source)}</dd>
        {item.reason ? (
          <>
            <dt>{t('boards.reason')}</dt>
            <dd className="prewrap" dir="auto">
              {item.reason}
            </dd>
          </>
        ) : null}
        <dt>{t('boards.quorum')}</dt>
        <dd className={item.quorum.met ? 'quorum-met' : 'quorum-unmet'}>
          {quorumLine(item.quorum, m.board.quorum.requiredRoles)}
        </dd>
      </dl>
      {item.recused.length ? (
        <div>
          <h4>{t('boards.recused')}</h4>
          <ul className="plain-list">
            {item.recused.map((r) => (
              <li key={r.userId}>
                <bdi>{r.displayName}</bdi>
                {r.reason ? <span className="muted"> — {r.reason}</span> : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div>
        <h4>{t('boards.votes')}</h4>
        <p className="tally">
          {t('boards.tally', { agree: tally.agree, disagree: tally.disagree, abstain: tally.abstain })}
        </p>
        {item.votes.length ? (
          <ul className="vote-list">
            {item.votes.map((v) => (
              <li key={v.userId}>
                <bdi>{v.displayName}</bdi>: <span className={`chip chip-vote-${v.vote}`}>{w('vote', v.vote)}</span>
                {v.reason ? (
                  <span className="vote-reason prewrap" dir="auto">
                    {v.reason}
                  </span>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('boards.votes.none')}</p>
        )}
      </div>
      {item.myVote ? <p className="muted">{t('boards.myVote', { vote: w('vote', item.myVote) })}</p> : null}
      {recused ? <p className="muted">{t('boards.youRecused')}</p> : null}
      {vote.error && !voting ? <ErrorAlert error={vote.error} /> : null}
      {mayVote || mayRecuse ? (
        <div className="vote-actions" role="group" aria-label={t('boards.voteOn', { code: item.code })}>
          {mayVote
            ? (['agree', 'disagree', 'abstain'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  className={v === 'agree' ? 'btn btn-primary' : 'btn'}
                  disabled={vote.isPending}
                  onClick={() => {
                    vote.reset();
                    setVoting(v);
                  }}
                >
                  {t(`boards.voteAction.${v}`)}
                </button>
              ))
            : null}
          {mayRecuse ? (
            <button
              type="button"
              className="btn btn-quiet"
              onClick={() => {
                recuse.reset();
                setRecusing(true);
              }}
            >
              {t('boards.declareConflict')}
            </button>
          ) : null}
        </div>
      ) : null}
      {item.decision ? <DecisionView item={item} dissent={dissent} /> : null}
      {item.decision ? <ConditionsToGoals meetingId={m.id} item={item} /> : null}
      {!item.decision && m.board.mine.chair && m.state !== 'signed' ? <DecisionForm meeting={m} item={item} /> : null}
      <ConfirmDialog
        open={voting !== null}
        title={voting ? t(`boards.voteAction.${voting}`) : ''}
        confirmLabel={voting ? t(`boards.voteAction.${voting}`) : ''}
        pending={vote.isPending}
        error={vote.error}
        note={{
          label: t('boards.voteReason'),
          hint: voting === 'disagree' ? t('boards.voteReason.dissent') : t('boards.voteReason.hint'),
          required: voting === 'disagree',
          maxLength: 1000,
          error: vote.fieldErrors.reason,
        }}
        onCancel={() => setVoting(null)}
        onConfirm={(reason) =>
          voting && vote.mutate({ itemId: item.id, body: { vote: voting, reason: reason || undefined } })
        }
      >
        <p>
          {t('boards.voteConfirm', {
            code: item.code,
            question: w('question', item.question),
            vote: voting ? w('vote', voting) : '',
          })}
        </p>
      </ConfirmDialog>
      <ConfirmDialog
        open={recusing}
        title={t('boards.declareConflict')}
        confirmLabel={t('boards.declareConflict')}
        tone="danger"
        pending={recuse.isPending}
        error={recuse.error}
        note={{ label: t('boards.conflictReason'), required: true, maxLength: 500, error: recuse.fieldErrors.reason }}
        onCancel={() => setRecusing(false)}
        onConfirm={(reason) => recuse.mutate({ itemId: item.id, reason })}
      >
        <p>{t('boards.conflictConfirm', { code: item.code })}</p>
      </ConfirmDialog>
      <PackDialog item={item} programId={m.board.programId} open={packOpen} onClose={() => setPackOpen(false)} />
    </li>
  );
}

function DecisionView({ item, dissent }: { item: AgendaItem; dissent: AgendaItem['votes'] }) {
  const t = useT();
  const w = useBoardWords();
  const d = item.decision;
  if (!d) return null;
  return (
    <div className="decision-wrap">
      <section className="decision card" aria-label={t('boards.decisionOn', { code: item.code })}>
        <h4>
          {t('boards.decision')}: <span className={`chip chip-outcome-${d.outcome}`}>{w('outcome', d.outcome)}</span>
        </h4>
        <p className="prewrap" dir="auto">
          {d.wording}
        </p>
        {d.reasons ? (
          <>
            <h5>{t('boards.reasons')}</h5>
            <p className="prewrap" dir="auto">
              {d.reasons}
            </p>
          </>
        ) : null}
        {d.conditions.length ? (
          <>
            <h5>{t('boards.conditions')}</h5>
            <ul>
              {d.conditions.map((c, i) => (
                <li key={i}>
                  <bdi>{c}</bdi>
                </li>
              ))}
            </ul>
          </>
        ) : null}
        {item.discussion ? (
          <>
            <h5>{t('boards.discussion')}</h5>
            <p className="prewrap" dir="auto">
              {item.discussion}
            </p>
          </>
        ) : null}
        <p className="muted small">
          {t('boards.decidedAt')} <DateTime value={d.decidedAt} />
          {d.nextReviewOn ? (
            <>
              {' · '}
              {t('boards.nextReview')} <DateTime value={d.nextReviewOn} mode="date" />
            </>
          ) : null}
        </p>
      </section>
      <section className="dissent card" aria-label={t('boards.dissentOn', { code: item.code })}>
        <h4>{t('boards.dissent')}</h4>
        {dissent.length ? (
          <ul className="plain-list">
            {dissent.map((v) => (
              <li key={v.userId}>
                <bdi className="strong">{v.displayName}</bdi>
                {v.reason ? (
                  <p className="prewrap" dir="auto">
                    {v.reason}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('boards.dissent.none')}</p>
        )}
      </section>
    </div>
  );
}
