/** The evidence pack of an agenda item: the case's plan goals, attendance, latest assessment, earlier decisions, notes for the board. */
import { isApiError } from '../../api/client';
import { DateTime } from '../../components/date-time';
import { Dialog } from '../../components/dialog';
import { Code } from '../../components/rich-text';
import { ErrorAlert, Loading } from '../../components/states';
import { useDynamicT, useT } from '../../i18n/use-t';
import { useContentLabel } from '../../i18n/labels';
import { useProgramIndex } from '../programs/program-index';
import { usePack, type AgendaItem, type EvidencePack } from './api';
import { useBoardWords } from './words';

export function PackDialog({
  item,
  programId,
  open,
  onClose,
}: {
  item: AgendaItem;
  programId: string;
  open: boolean;
  onClose: () => void;
}) {
  const t = useT();
  const pack = usePack(item.id, open);
  return (
    <Dialog open={open} title={t('boards.packOf', { code: item.code })} onClose={onClose}>
      {pack.isPending ? (
        <Loading />
      ) : pack.data ? (
        <PackBody pack={pack.data} programId={programId} />
      ) : isApiError(pack.error, 'NOT_FOUND') ? (
        <p className="alert alert-info">{t('boards.pack.closed')}</p>
      ) : (
        <ErrorAlert error={pack.error} onRetry={() => void pack.refetch()} />
      )}
    </Dialog>
  );
}

function PackBody({ pack: p, programId }: { pack: EvidencePack; programId: string }) {
  const t = useT();
  const dt = useDynamicT();
  const w = useBoardWords();
  const label = useContentLabel();
  const index = useProgramIndex();
  const a = p.attendance.last90Days;
  return (
    <div className="stack pack">
      <dl className="kv">
        <dt>{t('boards.case')}</dt>
        <dd>
          <Code>{p.code}</Code>
        </dd>
        <dt>{t('boards.phase')}</dt>
        <dd>
          {index.phaseName(p.programId ?? programId, p.phaseKey)}
          {p.phaseEnteredAt ? (
            <>
              {' · '}
              {t('boards.pack.since')} <DateTime value={p.phaseEnteredAt} mode="date" />
            </>
          ) : null}
        </dd>
        <dt>{t('boards.question')}</dt>
        <dd>{w('question', p.question)}</dd>
        {p.reason ? (
          <>
            <dt>{t('boards.reason')}</dt>
            <dd className="prewrap" dir="auto">
              {p.reason}
            </dd>
          </>
        ) : null}
      </dl>
      <section aria-labelledby="pack-notes">
        <h3 id="pack-notes">{t('boards.boardNotes')}</h3>
        {p.boardNotes ? (
          <p className="prewrap" dir="auto">
            {p.boardNotes}
          </p>
        ) : (
          <p className="muted">{t('boards.pack.noNotes')}</p>
        )}
      </section>
      <section aria-labelledby="pack-plan">
        <h3 id="pack-plan">{t('boards.pack.plan')}</h3>
        <p className="muted">
          {dt(`boards.plan.${p.plan.status}`, 'boards.unknown', { code: p.plan.status })}
          {p.plan.approvedAt ? (
            <>
              {' · '}
              <DateTime value={p.plan.approvedAt} mode="date" />
            </>
          ) : null}
        </p>
        {p.plan.goals.length ? (
          <ul className="plain-list">
            {p.plan.goals.map((g, i) => (
              <li key={i}>
                <span className="strong">{g.title}</span>{' '}
                <span className="muted">
                  ({label('domain', g.domain)} · {dt(`goal.status.${g.status}`, 'boards.unknown', { code: g.status })} ·{' '}
                  {t('boards.pack.progress', { n: g.progress / 100 })})
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('boards.pack.noGoals')}</p>
        )}
      </section>
      <section aria-labelledby="pack-attendance">
        <h3 id="pack-attendance">{t('boards.pack.attendance')}</h3>
        <p>
          {t('boards.pack.attendance.counts', {
            present: a.present,
            late: a.late,
            absent: a.absent,
            excused: a.excused,
          })}
        </p>
        <p className="muted">
          {t('boards.pack.lastSession')} <DateTime value={p.attendance.lastSessionAt} mode="date" />
        </p>
      </section>
      <section aria-labelledby="pack-assessment">
        <h3 id="pack-assessment">{t('boards.pack.assessment')}</h3>
        {p.assessment ? (
          <>
            <p className="muted">
              <bdi>
                {p.assessment.instrumentKey} {p.assessment.instrumentVersion}
              </bdi>{' '}
              · <DateTime value={p.assessment.finalisedAt} mode="date" />
            </p>
            <dl className="kv">
              {Object.entries(p.assessment.judgement).map(([k, v]) => (
                <div key={k} className="kv-row">
                  <dt>
                    <bdi>{k}</bdi>
                  </dt>
                  <dd>
                    <bdi>{v}</bdi>
                  </dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <p className="muted">{t('boards.pack.noAssessment')}</p>
        )}
      </section>
      <section aria-labelledby="pack-decisions">
        <h3 id="pack-decisions">{t('boards.pack.decisions')}</h3>
        {p.decisions.length ? (
          <ul className="plain-list">
            {p.decisions.map((d, i) => (
              <li key={i}>
                <DateTime value={d.decidedAt} mode="date" /> — {w('question', d.question)}:{' '}
                <span className={`chip chip-outcome-${d.outcome}`}>{w('outcome', d.outcome)}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted">{t('boards.pack.noDecisions')}</p>
        )}
      </section>
    </div>
  );
}
