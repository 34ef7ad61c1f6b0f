/**
 * A board meeting (/boards/meetings/:id): header with the chair's moves (open, close, sign), attendance
 * with the live quorum, the agenda (from the work queue or by hand), and per item the conflict
 * declarations, votes, the chair's decision with the dissent beside it and the evidence pack. After
 * sign-off the record is read-only and corrections are amendments listed under it.
 */
import '../../styles/boards.css';
import { useEffect, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import { useCan } from '../../api/abilities';
import { useMe } from '../../api/queries';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { DateTime } from '../../components/date-time';
import { TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { PageHeader } from '../../components/page';
import { Announcer, ErrorAlert, ReadState, useFieldMessage } from '../../components/states';
import { useI18n } from '../../i18n/i18n-provider';
import { useT } from '../../i18n/use-t';
import { useAddAmendment, useAttendance, useMeeting, useMoveMeeting, type Meeting } from './api';
import { AgendaBuilder } from './agenda-builder';
import { AgendaItemCard } from './agenda-item';
import { isolate, useBoardWords, useQuorumLine } from './words';

type Move = 'open' | 'closed' | 'signed';

/** The meeting page. */
export function MeetingPage() {
  const { id = '' } = useParams();
  const read = useMeeting(id);
  return <ReadState read={read}>{(m) => <MeetingView meeting={m} />}</ReadState>;
}

function MeetingView({ meeting: m }: { meeting: Meeting }) {
  const t = useT();
  const w = useBoardWords();
  const can = useCan();
  const { locale } = useI18n();
  const me = useMe().data;
  const [asking, setAsking] = useState<Move | null>(null);
  const [done, setDone] = useState<ReactNode>(null);
  const move = useMoveMeeting(m.id, {
    onSuccess: (_d, v) => {
      setAsking(null);
      setDone(t(`boards.moved.${v.to}`));
    },
  });
  const chair = m.board.mine.chair;
  const manager = can('board.manage');
  // The chair or a board manager runs the meeting; only the chair signs the minutes.
  const runs = chair || manager;
  const moves: Move[] = !runs
    ? []
    : m.state === 'scheduled'
      ? ['open']
      : m.state === 'open'
        ? ['closed']
        : m.state === 'closed'
          ? chair
            ? ['open', 'signed']
            : ['open']
          : [];
  const label = (to: Move) => t(`boards.move.${to}`);
  const editable = m.state === 'scheduled' || m.state === 'open';
  const myId = me?.user.id ?? '';
  return (
    <>
      <p className="breadcrumb">
        <Link to="/boards">{t('boards.back')}</Link>
      </p>
      <PageHeader
        title={t('boards.meetingOf', { board: isolate(m.board.name) })}
        lead={
          <>
            <span className={`chip chip-state-${m.state}`}>{w('state', m.state)}</span>{' '}
            <DateTime value={m.scheduledFor} /> · <bdi>{m.online ? t('boards.online') : (m.place ?? '—')}</bdi>
          </>
        }
        actions={
          <>
            {/* The minutes in the reader's language: a draft until the chair signs. */}
            <a className="btn" href={`/api/v1/board-meetings/${m.id}/minutes.pdf?locale=${locale}`} download>
              {t('boards.minutes')}
            </a>
            {moves.map((to) => (
              <button
                key={to}
                type="button"
                className={to === 'signed' || (to === 'open' && m.state === 'scheduled') ? 'btn btn-primary' : 'btn'}
                onClick={() => {
                  move.reset();
                  setAsking(to);
                }}
              >
                {to === 'open' && m.state === 'closed' ? t('boards.move.reopen') : label(to)}
              </button>
            ))}
          </>
        }
      />
      <Announcer text={done} />
      {m.state === 'signed' ? <p className="alert alert-info">{t('boards.signedNote')}</p> : null}
      <div className="meeting-layout">
        <Attendance meeting={m} canMark={(chair || manager) && editable} />
        <section aria-labelledby="agenda-title" className="stack agenda">
          <h2 id="agenda-title">{t('boards.agenda')}</h2>
          {m.items.length === 0 ? (
            <p className="muted">{t('boards.agenda.empty')}</p>
          ) : (
            <ol className="agenda-items">
              {m.items.map((item) => (
                <AgendaItemCard key={item.id} meeting={m} item={item} myId={myId} />
              ))}
            </ol>
          )}
          {editable && can('board.agenda') ? <AgendaBuilder meeting={m} /> : null}
        </section>
        <Amendments meeting={m} />
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={asking ? (asking === 'open' && m.state === 'closed' ? t('boards.move.reopen') : label(asking)) : ''}
        confirmLabel={
          asking ? (asking === 'open' && m.state === 'closed' ? t('boards.move.reopen') : label(asking)) : ''
        }
        pending={move.isPending}
        error={move.error}
        onCancel={() => setAsking(null)}
        onConfirm={() => asking && move.mutate({ to: asking, version: m.version })}
      >
        <p>{asking ? t(`boards.confirm.${asking === 'open' && m.state === 'closed' ? 'reopen' : asking}`) : null}</p>
      </ConfirmDialog>
    </>
  );
}

function Attendance({ meeting: m, canMark }: { meeting: Meeting; canMark: boolean }) {
  const t = useT();
  const w = useBoardWords();
  const quorumLine = useQuorumLine();
  const mark = useAttendance(m.id);
  // The box shows the change at once; the meeting read after the write confirms it (or puts it back).
  const [asked, setAsked] = useState<Record<string, boolean>>({});
  const present = new Set(m.present);
  const shown = (userId: string) => asked[userId] ?? present.has(userId);
  const presentKey = m.present.join(',');
  useEffect(() => {
    // Forget what the server now says the same way.
    const now = new Set(presentKey.split(','));
    setAsked((a) => {
      const rest = Object.entries(a).filter(([k, v]) => now.has(k) !== v);
      return rest.length === Object.keys(a).length ? a : Object.fromEntries(rest);
    });
  }, [presentKey]);
  return (
    <section aria-labelledby="attendance-title" className="card stack attendance">
      <h2 id="attendance-title">{t('boards.attendance')}</h2>
      <p className={m.quorum.met ? 'quorum quorum-met' : 'quorum quorum-unmet'} aria-live="polite">
        {quorumLine(m.quorum, m.board.quorum.requiredRoles)}
      </p>
      {mark.error ? <ErrorAlert error={mark.error} /> : null}
      <ul className="attendance-list">
        {m.board.members.map((p) => (
          <li key={p.userId}>
            {canMark ? (
              <label className="choice">
                <input
                  type="checkbox"
                  checked={shown(p.userId)}
                  onChange={(e) => {
                    const value = e.target.checked;
                    setAsked((a) => ({ ...a, [p.userId]: value }));
                    mark.mutate(
                      { userId: p.userId, present: value },
                      {
                        onError: () =>
                          setAsked((a) => Object.fromEntries(Object.entries(a).filter(([k]) => k !== p.userId))),
                      },
                    );
                  }}
                />
                <span>
                  <bdi>{p.displayName}</bdi> <span className="muted">— {w('role', p.role)}</span>
                  {p.chair ? <span className="chip chip-ok">{t('boards.chair')}</span> : null}
                </span>
              </label>
            ) : (
              <span>
                <bdi>{p.displayName}</bdi> <span className="muted">— {w('role', p.role)}</span>
                {p.chair ? <span className="chip chip-ok">{t('boards.chair')}</span> : null}{' '}
                <span className={present.has(p.userId) ? 'chip chip-ok' : 'chip'}>
                  {present.has(p.userId) ? t('boards.present') : t('boards.absent')}
                </span>
              </span>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Amendments({ meeting: m }: { meeting: Meeting }) {
  const t = useT();
  const fm = useFieldMessage();
  const [text, setText] = useState('');
  const [missing, setMissing] = useState<string | undefined>();
  const add = useAddAmendment(m.id, { onSuccess: () => setText('') });
  const focus = useInvalidFocus(add.error);
  if (m.state !== 'signed' && m.amendments.length === 0) return null;
  return (
    <section aria-labelledby="amend-title" className="stack amendments">
      <h2 id="amend-title">{t('boards.amendments')}</h2>
      {m.amendments.length === 0 ? (
        <p className="muted">{t('boards.amendments.none')}</p>
      ) : (
        <ol className="amendment-list">
          {m.amendments.map((a) => (
            <li key={a.id} className="card">
              <p className="muted small">
                <DateTime value={a.at} /> · <bdi>{a.by}</bdi>
              </p>
              <p className="prewrap" dir="auto">
                {a.text}
              </p>
            </li>
          ))}
        </ol>
      )}
      {m.state === 'signed' && m.board.mine.member ? (
        <form
          ref={focus.ref}
          className="stack"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (!text.trim()) {
              setMissing('required');
              focus.refused();
              return;
            }
            setMissing(undefined);
            add.mutate({ text: text.trim() });
          }}
        >
          {add.error ? <ErrorAlert error={add.error} /> : null}
          <TextAreaField
            label={t('boards.amendment.add')}
            hint={t('boards.amendment.hint')}
            maxLength={4000}
            value={text}
            onChange={(e) => setText(e.target.value)}
            error={fm(missing ?? add.fieldErrors.text)}
          />
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" disabled={add.isPending}>
              {t('boards.amendment.add')}
            </button>
          </div>
        </form>
      ) : null}
    </section>
  );
}
