/** Team: the case team's members, handovers to another team (offer, accept/decline, cancel). */
import { useState } from 'react';
import { ConflictNotice } from '../../components/conflict-notice';
import { DateTime } from '../../components/date-time';
import { SelectField, TextAreaField } from '../../components/field';
import { EmptyState, ErrorAlert, Loading, useFieldMessage } from '../../components/states';
import { useDynamicT, useT } from '../../i18n/use-t';
import type { CaseContext } from '../participants/case-context';
import { useTeams } from '../participants/api';
import { useCaseTeam, useDecideHandover, useOfferHandover, useRefreshCase } from './api';
import type { Handover } from './types';

function HandoverActions({ h, mine, participantId }: { h: Handover; mine: Set<string>; participantId: string }) {
  const t = useT();
  const decide = useDecideHandover(participantId);
  const refresh = useRefreshCase(participantId);
  if (h.status !== 'pending') return null;
  const receiving = mine.has(h.toTeamId);
  const sending = mine.has(h.fromTeamId);
  return (
    <div className="stack">
      {decide.isError ? (
        decide.conflict ? (
          <ConflictNotice onReload={() => void refresh()} />
        ) : (
          <ErrorAlert error={decide.error} />
        )
      ) : null}
      <div className="form-actions">
        {receiving ? (
          <>
            <button
              type="button"
              className="btn btn-primary btn-small"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ handover: h, decision: 'accept' })}
            >
              {t('handover.accept')}
            </button>
            <button
              type="button"
              className="btn btn-small"
              disabled={decide.isPending}
              onClick={() => decide.mutate({ handover: h, decision: 'decline' })}
            >
              {t('handover.decline')}
            </button>
          </>
        ) : null}
        {sending && !receiving ? (
          <button
            type="button"
            className="btn btn-small btn-quiet"
            disabled={decide.isPending}
            onClick={() => decide.mutate({ handover: h, decision: 'cancel' })}
          >
            {t('handover.cancel')}
          </button>
        ) : null}
      </div>
    </div>
  );
}

/** The Team tab. */
export function TeamTab({ ctx }: { ctx: CaseContext }) {
  const t = useT();
  const dt = useDynamicT();
  const fm = useFieldMessage();
  const id = ctx.participant.id;
  const team = useCaseTeam(id);
  const teams = useTeams();
  const [to, setTo] = useState('');
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<Record<string, string>>({});
  const offer = useOfferHandover(id, {
    onSuccess: () => {
      setTo('');
      setReason('');
    },
  });
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
                <HandoverActions h={h} mine={mine} participantId={id} />
              </li>
            ))}
          </ul>
        )}
        {mine.has(team.data.teamId) && !pending ? (
          <form
            className="card stack"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              const m: Record<string, string> = {};
              if (!to) m.toTeamId = 'required';
              if (!reason.trim()) m.reason = 'required';
              setMissing(m);
              if (Object.keys(m).length === 0) offer.mutate({ toTeamId: to, reason: reason.trim() });
            }}
          >
            <h3>{t('handover.offer')}</h3>
            {offer.isError ? <ErrorAlert error={offer.error} /> : null}
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
      </section>
    </div>
  );
}
