/** Team: the case team's members, handovers to another team (offer, accept/decline, cancel). */
import { useState, type ReactNode } from 'react';
import { fieldErrors } from '../../api/client';
import { ConfirmDialog } from '../../components/confirm-dialog';
import { ConflictNotice } from '../../components/conflict-notice';
import { DateTime } from '../../components/date-time';
import { Code, useRichT } from '../../components/rich-text';
import { SelectField, TextAreaField } from '../../components/field';
import { useInvalidFocus } from '../../components/form-focus';
import { Announcer, EmptyState, ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useDynamicT, useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useTeams } from '../participants/api';
import { useCaseTeam, useDecideHandover, useOfferHandover, useRefreshCase } from './api';
import type { Handover } from './types';

type HandoverDecision = 'accept' | 'decline' | 'cancel';

function HandoverActions({
  h,
  mine,
  participantId,
  code,
  from,
  to,
  onDone,
}: {
  h: Handover;
  mine: Set<string>;
  participantId: string;
  code: string;
  from: string;
  to: string;
  onDone: (message: ReactNode) => void;
}) {
  const t = useT();
  const rt = useRichT();
  const decide = useDecideHandover(participantId);
  const refresh = useRefreshCase(participantId);
  const [asking, setAsking] = useState<HandoverDecision | null>(null);
  if (h.status !== 'pending') return null;
  const receiving = mine.has(h.toTeamId);
  const sending = mine.has(h.fromTeamId);
  const words = { code: <Code>{code}</Code>, from: <bdi>{from}</bdi>, to: <bdi>{to}</bdi> };
  const close = () => {
    setAsking(null);
    decide.reset();
  };
  const label = (d: HandoverDecision) =>
    d === 'accept' ? t('handover.accept') : d === 'decline' ? t('handover.decline') : t('handover.cancel');
  return (
    <div className="stack">
      <div className="form-actions">
        {receiving ? (
          <>
            <button type="button" className="btn btn-primary btn-small" onClick={() => setAsking('accept')}>
              {t('handover.accept')}
            </button>
            <button type="button" className="btn btn-small" onClick={() => setAsking('decline')}>
              {t('handover.decline')}
            </button>
          </>
        ) : null}
        {sending && !receiving ? (
          <button type="button" className="btn btn-small btn-quiet" onClick={() => setAsking('cancel')}>
            {t('handover.cancel')}
          </button>
        ) : null}
      </div>
      <ConfirmDialog
        open={asking !== null}
        title={
          asking === 'accept'
            ? rt('casework.handover.confirm.accept', words)
            : asking === 'decline'
              ? rt('casework.handover.confirm.decline', words)
              : rt('casework.handover.confirm.cancel', words)
        }
        confirmLabel={asking ? label(asking) : ''}
        tone={asking === 'accept' ? 'primary' : 'danger'}
        pending={decide.isPending}
        error={decide.error}
        conflict={decide.conflict ? <ConflictNotice onReload={() => void refresh().then(close)} /> : undefined}
        onCancel={close}
        onConfirm={() => {
          if (!asking) return;
          const decision = asking;
          decide.mutate(
            { handover: h, decision },
            {
              onSuccess: () => {
                setAsking(null);
                onDone(
                  decision === 'accept'
                    ? rt('casework.handover.done.accept', words)
                    : decision === 'decline'
                      ? rt('casework.handover.done.decline', words)
                      : rt('casework.handover.done.cancel', words),
                );
              },
            },
          );
        }}
      >
        <p>
          {asking === 'accept'
            ? rt('casework.handover.what.accept', words)
            : asking === 'decline'
              ? rt('casework.handover.what.decline', words)
              : rt('casework.handover.what.cancel', words)}
        </p>
        <p dir="auto">
          <bdi>{h.reason}</bdi>
        </p>
      </ConfirmDialog>
    </div>
  );
}

/** The Team tab. */
export function TeamTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const dt = useDynamicT();
  const fm = useFieldMessage();
  const rt = useRichT();
  const id = ctx.participant.id;
  const team = useCaseTeam(id);
  const teams = useTeams();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const [offering, setOffering] = useState(false);
  const [done, setDone] = useState<ReactNode>(null);
  const offer = useOfferHandover(id);
  // Server refusals of a field come back to the form; the dialog shows the others.
  const focus = useInvalidFocus();
  if (team.isPending || teams.isPending) return <Loading />;
  if (team.isError) return <ErrorAlert error={team.error} onRetry={() => void team.refetch()} />;
  const allTeams = teams.data?.items ?? [];
  const mine = new Set(allTeams.filter((x) => x.mine).map((x) => x.id));
  const teamName = (tid: string) =>
    allTeams.find((x) => x.id === tid)?.name ?? (tid === team.data.teamId ? team.data.teamName : '—');
  const pending = team.data.handovers.some((h) => h.status === 'pending');
  const server = offer.fieldErrors;
  return (
    <div className="stack">
      <section aria-labelledby="team-title">
        <h2 id="team-title">
          {t('team.title')}: <bdi>{team.data.teamName}</bdi>
        </h2>
        <ul className="member-list">
          {team.data.members.map((m) => (
            <li key={m.userId} className="member">
              <span className="avatar" aria-hidden="true">
                {m.displayName.trim().charAt(0)}
              </span>
              <span>
                <bdi className="strong">{m.displayName}</bdi>
                <br />
                <span className="small muted">
                  {m.membership === 'supervisor'
                    ? t('team.supervisor')
                    : m.discipline
                      ? dt(`role.${m.discipline}`, 'role.unknown', { role: m.discipline })
                      : t('team.member')}
                </span>
              </span>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="handover-title">
        <h2 id="handover-title">{t('handover.title')}</h2>
        <Announcer text={done} />
        {team.data.handovers.length === 0 ? (
          <p className="muted">{t('handover.none')}</p>
        ) : (
          <ul className="session-list">
            {team.data.handovers.map((h) => (
              <li key={h.id} className="card">
                <p>
                  <span className={`chip chip-handover-${h.status}`}>{t(`handover.status.${h.status}`)}</span>{' '}
                  {t('handover.route', { from: teamName(h.fromTeamId), to: teamName(h.toTeamId) })} ·{' '}
                  <DateTime value={h.createdAt} />
                </p>
                <p dir="auto">{h.reason}</p>
                <HandoverActions
                  h={h}
                  mine={mine}
                  participantId={id}
                  code={ctx.participant.code}
                  from={teamName(h.fromTeamId)}
                  to={teamName(h.toTeamId)}
                  onDone={setDone}
                />
              </li>
            ))}
          </ul>
        )}
        {mine.has(team.data.teamId) && !pending ? (
          <form
            ref={focus.ref}
            className="card stack"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const m: Record<string, string> = {};
              if (!to) m.toTeamId = 'required';
              if (reason.trim().length < 3) m.reason = reason.trim() ? 'too_small' : 'required';
              setMissing(m);
              setDone(null);
              if (Object.keys(m).length > 0) {
                focus.refused();
                return;
              }
              offer.reset();
              setOffering(true);
            }}
          >
            <h3>{t('handover.offer')}</h3>
            {offer.isError && !offering ? (
              <ErrorAlert error={offer.error} highlighted={Object.keys(server).length > 0} />
            ) : null}
            <SelectField
              label={t('handover.to')}
              value={to}
              error={fm(missing.toTeamId ?? server.toTeamId)}
              onChange={(e) => setTo(e.target.value)}
            >
              <option value="">{t('intake.choose')}</option>
              {allTeams
                .filter((x) => x.id !== team.data.teamId)
                .map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
            </SelectField>
            <TextAreaField
              label={t('handover.reason')}
              maxLength={2000}
              value={reason}
              error={fm(missing.reason ?? server.reason)}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="form-actions">
              <button type="submit" className="btn" disabled={offer.isPending}>
                {t('handover.send')}
              </button>
            </div>
          </form>
        ) : null}
        {allTeams.length <= 1 ? <EmptyState title={t('handover.noTeams')} /> : null}
        <ConfirmDialog
          open={offering}
          title={rt('casework.handover.confirm.offer', {
            code: <Code>{ctx.participant.code}</Code>,
            to: <bdi>{teamName(to)}</bdi>,
          })}
          confirmLabel={t('handover.send')}
          pending={offer.isPending}
          error={offer.error}
          onCancel={() => setOffering(false)}
          onConfirm={() => {
            const words = rt('casework.handover.done.offer', {
              code: <Code>{ctx.participant.code}</Code>,
              to: <bdi>{teamName(to)}</bdi>,
            });
            offer.mutate(
              { toTeamId: to, reason: reason.trim() },
              {
                onSuccess: () => {
                  setOffering(false);
                  setTo('');
                  setReason('');
                  setDone(words);
                },
                onError: (e) => {
                  if (Object.keys(fieldErrors(e)).length === 0) return;
                  setOffering(false);
                  focus.refused();
                },
              },
            );
          }}
        >
          <p>
            {rt('casework.handover.what.offer', {
              code: <Code>{ctx.participant.code}</Code>,
              from: <bdi>{team.data.teamName}</bdi>,
              to: <bdi>{teamName(to)}</bdi>,
            })}
          </p>
          <p dir="auto">
            <bdi>{reason.trim()}</bdi>
          </p>
        </ConfirmDialog>
      </section>
    </div>
  );
}
