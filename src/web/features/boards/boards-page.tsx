/**
 * Review boards home (/boards): upcoming meetings and my boards first, past meetings below; board
 * managers create boards and schedule meetings. The review-board member's home page.
 */
import '../../styles/boards.css';
import { useState } from 'react';
import { Link } from 'react-router';
import { useCan } from '../../api/abilities';
import { useMe } from '../../api/queries';
import { DateTime } from '../../components/date-time';
import { PageHeader } from '../../components/page';
import { EmptyState, ReadState } from '../../components/states';
import { useT } from '../../i18n/use-t';
import { useProgramIndex } from '../programs/program-index';
import { useBoards, type Board, type MeetingSummary } from './api';
import { BoardForm } from './board-form';
import { ScheduleDialog } from './schedule-dialog';
import { isolate, useBoardWords } from './words';
import { useIntl } from 'react-intl';

/** The boards home page. */
export function BoardsPage() {
  const t = useT();
  const can = useCan();
  const manager = can('board.manage');
  const read = useBoards();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <PageHeader
        title={t('boards.title')}
        lead={t('boards.lead')}
        actions={
          manager ? (
            <button type="button" className="btn btn-primary" onClick={() => setCreating(true)}>
              {t('boards.new')}
            </button>
          ) : null
        }
      />
      <ReadState read={read}>
        {(data) => (
          <div className="stack boards-home">
            <MeetingList
              id="upcoming"
              title={t('boards.upcoming')}
              empty={t('boards.upcoming.empty')}
              meetings={data.meetings
                .filter((m) => m.state === 'scheduled' || m.state === 'open')
                .sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor))}
            />
            <section aria-labelledby="my-boards" className="stack">
              <h2 id="my-boards">{manager ? t('boards.allBoards') : t('boards.mine')}</h2>
              {data.boards.length === 0 ? (
                <EmptyState title={t('boards.none')}>
                  <p>{manager ? t('boards.none.manager') : t('boards.none.member')}</p>
                </EmptyState>
              ) : (
                <ul className="board-cards">
                  {data.boards.map((b) => (
                    <BoardCard key={b.id} board={b} manager={manager} />
                  ))}
                </ul>
              )}
            </section>
            <MeetingList
              id="past"
              title={t('boards.past')}
              empty={t('boards.past.empty')}
              meetings={data.meetings
                .filter((m) => m.state === 'closed' || m.state === 'signed')
                .sort((a, b) => b.scheduledFor.localeCompare(a.scheduledFor))}
            />
          </div>
        )}
      </ReadState>
      {manager ? <BoardForm open={creating} onClose={() => setCreating(false)} /> : null}
    </>
  );
}

function MeetingList({
  id,
  title,
  empty,
  meetings,
}: {
  id: string;
  title: string;
  empty: string;
  meetings: MeetingSummary[];
}) {
  const t = useT();
  const w = useBoardWords();
  return (
    <section aria-labelledby={`${id}-title`} className="stack">
      <h2 id={`${id}-title`}>{title}</h2>
      {meetings.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="meeting-cards">
          {meetings.map((m) => (
            <li key={m.id} className="card meeting-card">
              <p className="meeting-when">
                <DateTime value={m.scheduledFor} />
              </p>
              <p className="strong">
                <Link to={`/boards/meetings/${m.id}`}>{t('boards.meetingOf', { board: isolate(m.boardName) })}</Link>
              </p>
              <p>
                <span className={`chip chip-state-${m.state}`}>{w('state', m.state)}</span>{' '}
                <span className="muted">{t('boards.itemCount', { n: m.items })}</span>
              </p>
              <p className="muted small">{m.online ? t('boards.online') : (m.place ?? '—')}</p>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function BoardCard({ board, manager }: { board: Board; manager: boolean }) {
  const t = useT();
  const w = useBoardWords();
  const index = useProgramIndex();
  const intl = useIntl();
  const [scheduling, setScheduling] = useState(false);
  const me = useMe().data;
  const headingId = `board-${board.id}`;
  return (
    <li className="card board-card">
      <h3 id={headingId}>{board.name}</h3>
      {index.byId.has(board.programId) || board.status === 'closed' ? (
        <p className="muted">
          {index.byId.has(board.programId) ? index.programName(board.programId) : null}
          {board.status === 'closed' ? <span className="chip">{t('boards.status.closed')}</span> : null}
        </p>
      ) : null}
      <dl className="kv">
        <dt>{t('boards.quorum')}</dt>
        <dd>
          {t('boards.quorum.rule', { n: board.quorum.minMembers })}
          {board.quorum.requiredRoles.length
            ? ` ${t('boards.quorum.roles', { roles: intl.formatList(board.quorum.requiredRoles.map((r) => w('role', r))) })}`
            : ''}
        </dd>
      </dl>
      <ul className="member-list" aria-label={t('boards.membersOf', { board: board.name })}>
        {board.members.map((m) => (
          <li key={m.userId}>
            <bdi>{m.displayName}</bdi> <span className="muted">— {w('role', m.role)}</span>
            {m.chair ? <span className="chip chip-ok">{t('boards.chair')}</span> : null}
            {me && m.userId === me.user.id ? <span className="chip">{t('boards.you')}</span> : null}
          </li>
        ))}
      </ul>
      {manager && board.status === 'active' ? (
        <p>
          <button type="button" className="btn" aria-describedby={headingId} onClick={() => setScheduling(true)}>
            {t('boards.schedule')}
          </button>
        </p>
      ) : null}
      {manager ? <ScheduleDialog board={board} open={scheduling} onClose={() => setScheduling(false)} /> : null}
    </li>
  );
}
