/** The caseload (filters, sort, code search, keyset pages) and the search before create. Through the Scope. */
import { sql } from 'kysely';
import { matchReasons, matchStrength, rankMatches } from '../../../core/casework.ts';
import type { Scope, Visible } from '../../access/scope.ts';
import { participantBlindIndex, participants } from '../../access/entities.ts';
import { ALERT_SQL } from '../../access/case-sql.ts';
import { decodeCursor, encodeCursor } from '../../http/openapi.ts';
import { participantView, searchHashes, type FieldServices } from './service.ts';
import {
  ROW_ALERTS,
  type CaseloadQuery,
  type ParticipantList,
  type ParticipantSearchRequest,
  type ParticipantSearchResult,
} from './schema.ts';

/** A caseload row: the record's listed columns, the per-row alerts and the keyset sort key. */
type CaseloadRow = Visible<'participants'> & { [A in (typeof ROW_ALERTS)[number] as `a_${A}`]: boolean } & {
  sort_key: string;
};

const SORTS = {
  created: 'participants.created_at',
  code: 'participants.code',
  phaseEntered: 'participants.phase_entered_at',
  lastSession: 'participants.last_session_at',
} as const;

/** One page of the caseload: the principal's teams' participants, with per-row alerts. */
export async function listCaseload(scope: Scope, q: CaseloadQuery): Promise<ParticipantList> {
  const dir = q.dir ?? (q.sort === 'code' ? 'asc' : 'desc');
  const col = SORTS[q.sort];
  // Nulls sort as the earliest instant so keyset comparisons stay total; non-null columns are used
  // as they are, so the (tenant, team, created_at) index serves the default order.
  const key =
    q.sort === 'code' || q.sort === 'created' ? sql.raw(col) : sql`coalesce(${sql.raw(col)}, 'epoch'::timestamptz)`;
  const cur = decodeCursor(q.cursor, 2);
  const rows = (await scope.list(participants, (qb) => {
    // Joins and computed columns on top of the scoped select; the scope selects the record's columns.
    let x = qb
      .leftJoin('programs as pr', 'pr.id', 'participants.program_id')
      .select([
        ALERT_SQL.no_session.as('a_no_session'),
        ALERT_SQL.plan_not_approved.as('a_plan_not_approved'),
        ALERT_SQL.consent_expiring.as('a_consent_expiring'),
        ALERT_SQL.handover_pending.as('a_handover_pending'),
        (q.sort === 'code'
          ? sql<string>`participants.code`
          : sql<string>`to_char(${key} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
        ).as('sort_key'),
      ]);
    if (q.programId) x = x.where('participants.program_id', '=', q.programId);
    if (q.phase) x = x.where('participants.phase_key', '=', q.phase);
    if (q.q) x = x.where('participants.code', 'like', `${q.q.toUpperCase().replace(/[\\%_]/g, '')}%`);
    if (q.teamMemberId) {
      const member = q.teamMemberId;
      x = x.where('participants.team_id', 'in', (eb) =>
        eb
          .selectFrom('team_members')
          .select('team_id')
          .where('user_id', '=', member)
          .where('tenant_id', '=', scope.principal.tenantId),
      );
    }
    if (q.alert) x = x.where(ALERT_SQL[q.alert]);
    if (cur) {
      const v = q.sort === 'code' ? cur[0] : new Date(cur[0]!);
      x = x.where(
        dir === 'desc'
          ? sql<boolean>`(${key}, participants.id) < (${v}, ${cur[1]}::uuid)`
          : sql<boolean>`(${key}, participants.id) > (${v}, ${cur[1]}::uuid)`,
      );
    }
    // The extra columns come back on each row (read below); the shape's type is the scoped select's.
    return x
      .orderBy(key, dir)
      .orderBy('participants.id', dir)
      .limit(q.limit + 1);
  })) as CaseloadRow[];
  const items = rows.slice(0, q.limit).map((row) => {
    const { notes: _n, ...rest } = participantView(row);
    return { ...rest, alerts: ROW_ALERTS.filter((a) => row[`a_${a}`] === true) };
  });
  const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
  return { items, nextCursor: last ? encodeCursor([String(last.sort_key), last.id]) : null };
}

/** Search before create: likely duplicates in the principal's teams, and why they match (audited). */
export async function searchParticipants(
  scope: Scope,
  s: FieldServices,
  b: ParticipantSearchRequest,
): Promise<ParticipantSearchResult> {
  scope.require('participant.create', { type: 'participant' });
  scope.require('identity.reveal', { type: 'participant' });
  const hashes = await searchHashes(s, scope, b);
  if (hashes.length === 0) return { items: [] };
  // Index rows of participants on my teams that match, then those participants' codes.
  const hits = await scope
    .children(participantBlindIndex)
    .where((eb) =>
      eb.or(
        hashes.map((h) =>
          eb.and([eb('participant_blind_index.kind', '=', h.kind), eb('participant_blind_index.hash', '=', h.hash)]),
        ),
      ),
    )
    .select(['participant_blind_index.participant_id', 'participant_blind_index.kind'])
    .execute();
  // Every index row that matched (a name matched on two parts counts twice when ranking).
  const kindsOf = new Map<string, string[]>();
  for (const h of hits) kindsOf.set(h.participant_id, [...(kindsOf.get(h.participant_id) ?? []), h.kind]);
  const rows = kindsOf.size
    ? (
        await scope
          .select(participants, { forList: true })
          .select([
            'participants.id',
            'participants.code',
            'participants.program_id',
            'participants.phase_key',
            'participants.team_id',
            'participants.created_at',
          ])
          .where('participants.id', 'in', [...kindsOf.keys()])
          .execute()
      ).map((p) => ({ ...p, kinds: kindsOf.get(p.id)! }))
    : [];
  await scope.audit.append({
    action: 'participant.search',
    entityType: 'participant',
    details: {
      fields: hashes
        .map((h) => h.kind)
        .filter((k, i, a) => a.indexOf(k) === i)
        .join(','),
      matches: rows.length,
    },
  });
  const ranked = rankMatches(
    rows
      .map((r) => ({ row: r, matchedOn: r.kinds, strength: matchStrength(r.kinds) }))
      .filter((m) => b.includeWeak === true || m.strength !== 'weak'),
    20,
  );
  const teamIds = [...new Set(ranked.map((m) => m.row.team_id))];
  const teams = teamIds.length
    ? await scope.shared
        .selectFrom('teams')
        .select(['id', 'name'])
        .where('tenant_id', '=', scope.principal.tenantId)
        .where('id', 'in', teamIds)
        .execute()
    : [];
  const teamName = new Map(teams.map((x) => [x.id, x.name]));
  const items = ranked.map(({ row: r, strength }) => ({
    id: r.id,
    code: r.code,
    programId: r.program_id,
    phaseKey: r.phase_key,
    matchedOn: [...new Set(r.kinds)].sort(),
    strength,
    reasons: matchReasons(r.kinds),
    teamName: teamName.get(r.team_id) ?? null,
    registeredMonth: new Date(r.created_at).toISOString().slice(0, 7),
  }));
  // Each person shown is a subject of the search, so their access log shows it (exactly those returned).
  for (const r of items)
    await scope.audit.append({
      action: 'participant.search_match',
      entityType: 'participant',
      entityId: r.id,
      subjectId: r.id,
    });
  return { items };
}
