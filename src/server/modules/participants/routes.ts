/** Participants: intake (search before create), caseload, record, audited identity reveal. Every handler goes through the Scope. */
import { createRoute, z } from '@hono/zod-openapi';
import { sql } from 'kysely';
import { AppError } from '../../../core/errors.ts';
import {
  ALERTS,
  FamilyContact,
  Identity,
  LanguageCode,
  LegalStatus,
  NOTE_MAX,
  REVEAL_PURPOSES,
} from '../../../core/participant.ts';
import { humanName, safeText } from '../../../core/text.ts';
import { Scope } from '../../access/scope.ts';
import { participants } from '../../access/entities.ts';
import {
  decodeCursor,
  encodeCursor,
  errors,
  etag,
  ifMatch,
  jsonBody,
  jsonResponse,
  PageQuery,
  requireUser,
  router,
} from '../../http/openapi.ts';
import { loadProgram } from '../programs/routes.ts';
import { rateLimit } from '../auth/throttle.ts';
import { ALERT_SQL, newParticipantCode, participantView, refreshBlindIndex, searchHashes } from './service.ts';

const Participant = z
  .object({
    id: z.string().uuid(),
    code: z.string(),
    teamId: z.string().uuid(),
    programId: z.string().nullable(),
    phaseKey: z.string().nullable(),
    phaseEnteredAt: z.string().nullable(),
    legalStatus: z.string().nullable(),
    referralSource: z.string().nullable(),
    languages: z.array(z.string()),
    planStatus: z.string(),
    planApprovedAt: z.string().nullable(),
    lastSessionAt: z.string().nullable(),
    status: z.string(),
    notes: z.string().nullable().optional(),
    version: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Participant');
const ParticipantListItem = Participant.omit({ notes: true }).extend({ alerts: z.array(z.enum(ALERTS)) });
const ParticipantList = z
  .object({ items: z.array(ParticipantListItem), nextCursor: z.string().nullable() })
  .openapi('ParticipantList');
const CreateParticipantRequest = z
  .strictObject({
    programId: z.string().uuid(),
    teamId: z.string().uuid(),
    legalStatus: LegalStatus,
    referralSource: safeText(200, { min: 0 }).optional(),
    languages: z.array(LanguageCode).max(10).default([]),
    identity: Identity,
    familyContacts: z.array(FamilyContact).max(20).default([]),
    notes: z.string().max(NOTE_MAX).optional(),
  })
  .openapi('CreateParticipantRequest');
const UpdateParticipantRequest = z
  .strictObject({
    legalStatus: LegalStatus.optional(),
    referralSource: safeText(200, { min: 0 }).nullable().optional(),
    languages: z.array(LanguageCode).max(10).optional(),
    notes: z.string().max(NOTE_MAX).nullable().optional(),
    identity: Identity.optional(),
    familyContacts: z.array(FamilyContact).max(20).optional(),
  })
  .openapi('UpdateParticipantRequest');
const SearchRequest = z
  .strictObject({
    givenName: humanName(100, { min: 0 }).optional(),
    familyName: humanName(100, { min: 0 }).optional(),
    dateOfBirth: z.string().max(10).optional(),
    nationalId: humanName(50, { min: 0 }).optional(),
  })
  // A strong combination only, so the search cannot be used to enumerate identities field by field.
  .refine(
    (b) =>
      !!b.nationalId || (!!b.givenName && !!b.familyName) || (!!b.dateOfBirth && (!!b.givenName || !!b.familyName)),
    { message: 'give a full name, a name with the date of birth, or an ID number', path: ['givenName'] },
  )
  .openapi('ParticipantSearchRequest');
const SearchResult = z
  .object({
    items: z.array(
      z.object({
        id: z.string(),
        code: z.string(),
        programId: z.string().nullable(),
        phaseKey: z.string().nullable(),
        matchedOn: z.array(z.string()),
      }),
    ),
  })
  .openapi('ParticipantSearchResult');
const RevealRequest = z
  .strictObject({ purpose: z.enum(REVEAL_PURPOSES), reason: z.string().trim().min(3).max(500) })
  .openapi('RevealRequest');
const RevealResponse = z
  .object({
    identity: Identity.nullable(),
    familyContacts: z.array(FamilyContact),
    revealedAt: z.string(),
    hideAfterSeconds: z.number(),
  })
  .openapi('RevealResponse');
const SORTS = {
  created: 'participants.created_at',
  code: 'participants.code',
  phaseEntered: 'participants.phase_entered_at',
  lastSession: 'participants.last_session_at',
} as const;
const ListQuery = z.object({
  ...PageQuery,
  programId: z.string().uuid().optional(),
  phase: z.string().max(40).optional(),
  teamMemberId: z.string().uuid().optional(),
  alert: z.enum(['no_session', 'plan_not_approved', 'consent_expiring', 'handover_pending']).optional(),
  q: z.string().trim().max(32).optional(),
  sort: z.enum(['created', 'code', 'phaseEntered', 'lastSession']).default('created'),
  dir: z.enum(['asc', 'desc']).optional(),
});
const IdParam = z.object({ id: z.string().max(64) });
const common = errors('UNAUTHENTICATED', 'MFA_REQUIRED', 'FORBIDDEN', 'NOT_FOUND');

/** Routes under /api/v1/participants. */
export function participantRoutes() {
  const app = router();
  const tags = ['participants'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants',
      tags,
      summary: 'The caseload: filters, sort, code search, keyset pages',
      request: { query: ListQuery },
      responses: { 200: jsonResponse(ParticipantList), ...common },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const dir = q.dir ?? (q.sort === 'code' ? 'asc' : 'desc');
      const col = SORTS[q.sort];
      // Nulls sort as the earliest instant so keyset comparisons stay total; non-null columns are used
      // as they are, so the (tenant, team, created_at) index serves the default order.
      const key =
        q.sort === 'code' || q.sort === 'created' ? sql.raw(col) : sql`coalesce(${sql.raw(col)}, 'epoch'::timestamptz)`;
      const cur = decodeCursor(q.cursor, 2);
      const rows = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        scope.list(participants, (qb) => {
          // Joins and computed columns on top of the scoped select (types loosened for the extra columns).
          let x = qb as any;
          x = x.leftJoin('programs as pr', 'pr.id', 'participants.program_id');
          x = x.select([
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
          if (q.teamMemberId)
            x = x.where('participants.team_id', 'in', (eb: any) =>
              eb.selectFrom('team_members').select('team_id').where('user_id', '=', q.teamMemberId),
            );
          if (q.alert) x = x.where(ALERT_SQL[q.alert]);
          if (cur) {
            const v = q.sort === 'code' ? cur[0] : new Date(cur[0]!);
            x = x.where(
              dir === 'desc'
                ? sql<boolean>`(${key}, participants.id) < (${v}, ${cur[1]}::uuid)`
                : sql<boolean>`(${key}, participants.id) > (${v}, ${cur[1]}::uuid)`,
            );
          }
          return x
            .orderBy(key, dir)
            .orderBy('participants.id', dir)
            .limit(q.limit + 1);
        }),
      );
      const items = rows.slice(0, q.limit).map((r) => {
        const row = r as Record<string, unknown>;
        const { notes: _n, ...rest } = participantView(row);
        return {
          ...rest,
          alerts: (['no_session', 'plan_not_approved', 'consent_expiring', 'handover_pending'] as const).filter(
            (a) => row[`a_${a}`] === true,
          ),
        };
      });
      const last = rows.length > q.limit ? (rows[q.limit - 1] as Record<string, unknown>) : undefined;
      return c.json({ items, nextCursor: last ? encodeCursor([String(last.sort_key), String(last.id)]) : null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/search',
      tags,
      summary: 'Search before create: likely duplicates in your teams, and why they match',
      request: { body: jsonBody(SearchRequest) },
      responses: { 200: jsonResponse(SearchResult), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const s = c.get('services');
      const principal = requireUser(c);
      await rateLimit(s.db, `search:user:${principal.userId}`, 30, 60);
      const items = await Scope.run(s, principal, c.get('requestId'), async (scope) => {
        scope.require('participant.create', { type: 'participant' });
        scope.require('identity.reveal', { type: 'participant' });
        const hashes = await searchHashes(s, scope, b);
        if (hashes.length === 0) return [];
        const rows = await scope
          .select(participants, { forList: true })
          .innerJoin('participant_blind_index as bi', 'bi.participant_id', 'participants.id')
          .where((eb) => eb.or(hashes.map((h) => eb.and([eb('bi.kind', '=', h.kind), eb('bi.hash', '=', h.hash)]))))
          .select([
            'participants.id',
            'participants.code',
            'participants.program_id',
            'participants.phase_key',
            sql<string[]>`array_agg(distinct bi.kind)`.as('kinds'),
          ])
          .groupBy(['participants.id', 'participants.code', 'participants.program_id', 'participants.phase_key'])
          .execute();
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
        // Each person found is a subject of the search, so their access log shows it.
        for (const r of rows.slice(0, 20))
          await scope.audit.append({
            action: 'participant.search_match',
            entityType: 'participant',
            entityId: r.id,
            subjectId: r.id,
          });
        const weight = (k: string[]) =>
          (k.includes('id_number') ? 100 : 0) +
          (k.includes('name') ? 10 : 0) +
          (k.includes('dob') ? 5 : 0) +
          k.filter((x) => x === 'name_token').length;
        return rows
          .map((r) => ({
            id: r.id,
            code: r.code,
            programId: r.program_id,
            phaseKey: r.phase_key,
            matchedOn: [...r.kinds].sort(),
          }))
          .sort((a, z2) => weight(z2.matchedOn) - weight(a.matchedOn))
          .slice(0, 20);
      });
      return c.json({ items }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}',
      tags,
      summary: 'One participant with its alerts (audited read; identity only via reveal)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Participant.extend({ alerts: z.array(z.enum(ALERTS)) })), ...common },
    }),
    async (c) => {
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const p = await scope.get(participants, c.req.valid('param').id);
        const flags = (await scope
          .select(participants)
          .leftJoin('programs as pr', 'pr.id', 'participants.program_id')
          .where('participants.id', '=', p.id as string)
          .select([
            ALERT_SQL.no_session.as('no_session'),
            ALERT_SQL.plan_not_approved.as('plan_not_approved'),
            ALERT_SQL.consent_expiring.as('consent_expiring'),
            ALERT_SQL.handover_pending.as('handover_pending'),
          ])
          .executeTakeFirst()) as Record<string, boolean> | undefined;
        return {
          p,
          alerts: (['no_session', 'plan_not_approved', 'consent_expiring', 'handover_pending'] as const).filter(
            (a) => flags?.[a] === true,
          ),
        };
      });
      etag(c, r.p.version as number);
      return c.json({ ...participantView(r.p), alerts: r.alerts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants',
      tags,
      summary: 'Register a participant (intake) in one of my teams',
      request: { body: jsonBody(CreateParticipantRequest) },
      responses: {
        201: jsonResponse(Participant, 'Created'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'ALREADY_EXISTS'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const s = c.get('services');
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(participants.actions.create, { type: participants.auditType });
        if (!(await scope.teamIds()).includes(b.teamId))
          throw new AppError('VALIDATION_FAILED', 'choose one of your teams', {
            details: [{ path: 'teamId', code: 'unknown_team' }],
          });
        const program = await loadProgram(scope.tx, scope.principal.tenantId, b.programId).catch((e: unknown) => {
          if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
          throw new AppError('VALIDATION_FAILED', 'unknown program', {
            details: [{ path: 'programId', code: 'unknown_program' }],
          });
        });
        if (program.status !== 'active')
          throw new AppError('VALIDATION_FAILED', 'this program is archived', {
            details: [{ path: 'programId', code: 'archived' }],
          });
        const created = await scope.create(participants, {
          code: await newParticipantCode(scope),
          team_id: b.teamId,
          program_id: b.programId,
          legal_status: b.legalStatus,
          referral_source: b.referralSource ?? null,
          languages: b.languages,
          identity: JSON.stringify(b.identity),
          family_contacts: JSON.stringify(b.familyContacts),
          notes: b.notes ?? null,
        });
        // Phase is server-owned: set it to the program's first phase.
        await scope.setOwned(participants, created.id as string, {
          phase_key: program.def.phases[0]!.key,
          phase_entered_at: new Date(),
        });
        await refreshBlindIndex(s, scope, created.id as string, b.identity);
        return { ...created, phase_key: program.def.phases[0]!.key, phase_entered_at: new Date() };
      });
      etag(c, r.version as number);
      return c.json(participantView(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/participants/{id}',
      tags,
      summary: 'Update a participant (If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateParticipantRequest) },
      responses: {
        200: jsonResponse(Participant),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const s = c.get('services');
      const patch: Record<string, unknown> = {};
      if (b.legalStatus !== undefined) patch.legal_status = b.legalStatus;
      if (b.referralSource !== undefined) patch.referral_source = b.referralSource;
      if (b.languages !== undefined) patch.languages = b.languages;
      if (b.notes !== undefined) patch.notes = b.notes;
      if (b.identity !== undefined) patch.identity = JSON.stringify(b.identity);
      if (b.familyContacts !== undefined) patch.family_contacts = JSON.stringify(b.familyContacts);
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        if (
          (b.identity || b.familyContacts) &&
          !scope.principal.roles.some((x) => ['case_manager', 'social_worker', 'supervisor'].includes(x))
        ) {
          throw new AppError('FORBIDDEN', 'your role may not change identity data', {
            details: [{ path: 'identity', code: 'field_forbidden' }],
          });
        }
        const u = await scope.update(participants, c.req.valid('param').id, version, patch);
        if (b.identity) await refreshBlindIndex(s, scope, u.id as string, b.identity);
        return u;
      });
      etag(c, r.version as number);
      return c.json(participantView(r), 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/reveal',
      tags,
      summary: 'Reveal identity and family contacts for a stated purpose (audited)',
      request: { params: IdParam, body: jsonBody(RevealRequest) },
      responses: { 200: jsonResponse(RevealResponse), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        scope.revealFields(participants, c.req.valid('param').id, 'identity.reveal', `${b.purpose}: ${b.reason}`),
      );
      return c.json(
        {
          identity: out.identity ? (JSON.parse(out.identity) as z.infer<typeof Identity>) : null,
          familyContacts: out.family_contacts
            ? (JSON.parse(out.family_contacts) as z.infer<typeof FamilyContact>[])
            : [],
          revealedAt: new Date().toISOString(),
          hideAfterSeconds: 120,
        },
        200,
      );
    },
  );
  return app;
}
