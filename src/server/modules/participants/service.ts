/**
 * Participants: intake, the record with its alerts, changes, the audited identity reveal, and the
 * helpers the case-work modules share (views, blind indexes, gate facts). Every operation takes a
 * Scope and plain input and knows nothing of HTTP.
 */
import crypto from 'node:crypto';
import { participantCode } from '../../../core/codes.ts';
import { AppError } from '../../../core/errors.ts';
import { allows } from '../../../core/roles.ts';
import { indexValues, type IdentityKeys } from '../../../core/normalise.ts';
import { boardApprovedAt } from '../../../core/boards.ts';
import type { GateFacts } from '../../../core/gates.ts';
import type { FamilyContact, Identity } from '../../../core/participant.ts';
import { consentFact } from '../../../core/work-queue.ts';
import type { Scope, Visible } from '../../access/scope.ts';
import {
  boardDecisions,
  assessments as assessmentsDef,
  consents as consentsDef,
  participantBlindIndex,
  participants,
} from '../../access/entities.ts';
import { ALERT_SQL } from '../../access/case-sql.ts';
import type { Services } from '../../services.ts';
import { loadProgram } from '../programs/service.ts';
import { apiToColumns, rowToApi } from '../../http/rows.ts';
import {
  Participant,
  ROW_ALERTS,
  type CreateParticipantRequest,
  type ParticipantWithAlerts,
  type RevealRequest,
  type RevealResponse,
  type UpdateParticipantRequest,
} from './schema.ts';

/** What the blind-index helpers need of the Services. */
export type FieldServices = Pick<Services, 'fields'>;

/** A fresh pseudonymous participant code, unused in the tenant (retried on the rare collision). */
export async function newParticipantCode(scope: Scope): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const code = participantCode(crypto.randomBytes(8));
    const taken = await scope.unscoped('a new code must be unused in the whole tenant, not only in my teams', (tx) =>
      tx
        .selectFrom('participants')
        .select('id')
        .where('tenant_id', '=', scope.principal.tenantId)
        .where('code', '=', code)
        .executeTakeFirst(),
    );
    if (!taken) return code;
  }
  throw new Error('could not find a free participant code');
}

/** Replaces a participant's blind-index rows from their identity (inside the scope's transaction). */
export async function refreshBlindIndex(
  s: FieldServices,
  scope: Scope,
  participantId: string,
  identity: IdentityKeys,
): Promise<void> {
  const tenantId = scope.principal.tenantId;
  await scope.deleteChildren(participantBlindIndex, (q) =>
    q.where('participant_blind_index.participant_id', '=', participantId),
  );
  const values = indexValues(identity);
  if (values.length === 0) return;
  const rows = await Promise.all(
    values.map(async (v) => ({
      participant_id: participantId,
      kind: v.kind,
      hash: await s.fields.blindIndex(tenantId, v.kind, v.value, scope.shared),
    })),
  );
  await scope.insertChildren(participantBlindIndex, rows, (oc) => oc.doNothing());
}

/** Blind-index hashes for a search: kind → hashes. */
export async function searchHashes(
  s: FieldServices,
  scope: Scope,
  identity: IdentityKeys,
): Promise<{ kind: string; hash: Buffer }[]> {
  return Promise.all(
    indexValues(identity).map(async (v) => ({
      kind: v.kind,
      hash: await s.fields.blindIndex(scope.principal.tenantId, v.kind, v.value, scope.shared),
    })),
  );
}

/** A participant row as the API shows it (identity never included; notes only when the scope kept them). */
export function participantView(r: Visible<'participants'>): Participant {
  return rowToApi(Participant, r);
}

/** The facts the gate engine needs for one participant, read through the scope's transaction. */
export async function gateFacts(
  scope: Scope,
  p: Pick<Visible<'participants'>, 'id' | 'phase_key' | 'phase_entered_at' | 'created_at' | 'plan_status'>,
): Promise<GateFacts> {
  const consents = await scope.list(consentsDef, (q) => q.where('consents.participant_id', '=', p.id));
  const finals = await scope.list(assessmentsDef, (q) =>
    q
      .where('assessments.participant_id', '=', p.id)
      .where('assessments.status', '=', 'final')
      .orderBy('assessments.finalised_at', 'desc')
      .limit(1),
  );
  return {
    phaseEnteredAt: p.phase_entered_at ?? p.created_at,
    lastAssessmentFinalisedAt: finals[0]?.finalised_at ?? null,
    boardApprovedAt: boardApprovedAt(
      (await scope.list(boardDecisions, (q) => q.where('board_decisions.participant_id', '=', p.id))).map((d) => ({
        question: d.question,
        outcome: d.outcome,
        phaseKey: d.phase_key,
        decidedAt: d.created_at,
      })),
      p.phase_key,
    ),
    planApproved: p.plan_status === 'approved',
    consents: consents.map((c) => consentFact({ purpose: c.purpose, status: c.status, expiresOn: c.expires_on })),
  };
}

/** One participant with its alerts (an audited read). */
export async function getParticipant(scope: Scope, id: string): Promise<ParticipantWithAlerts> {
  const p = await scope.get(participants, id);
  const flags = await scope
    .select(participants)
    .leftJoin('programs as pr', 'pr.id', 'participants.program_id')
    .where('participants.id', '=', p.id)
    .select([
      ALERT_SQL.no_session.as('no_session'),
      ALERT_SQL.plan_not_approved.as('plan_not_approved'),
      ALERT_SQL.consent_expiring.as('consent_expiring'),
      ALERT_SQL.handover_pending.as('handover_pending'),
    ])
    .executeTakeFirst();
  return { ...participantView(p), alerts: ROW_ALERTS.filter((a) => flags?.[a] === true) };
}

/** Registers a participant (intake) in one of the principal's teams, in the program's first phase. */
export async function createParticipant(
  scope: Scope,
  s: FieldServices,
  b: CreateParticipantRequest,
): Promise<Participant> {
  scope.require(participants.actions.create, { type: participants.auditType });
  if (!(await scope.teamIds()).includes(b.teamId))
    throw new AppError('VALIDATION_FAILED', 'choose one of your teams', {
      details: [{ path: 'teamId', code: 'unknown_team' }],
    });
  const program = await loadProgram(scope.shared, scope.principal.tenantId, b.programId).catch((e: unknown) => {
    if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
    throw new AppError('VALIDATION_FAILED', 'unknown program', {
      details: [{ path: 'programId', code: 'unknown_program' }],
    });
  });
  if (program.status !== 'active')
    throw new AppError('VALIDATION_FAILED', 'this program is archived', {
      details: [{ path: 'programId', code: 'archived' }],
    });
  // Plain fields map to their columns by name; identity and family contacts are stored as JSON.
  const { identity, familyContacts, ...plain } = b;
  const created = await scope.create(participants, {
    ...apiToColumns(plain),
    code: await newParticipantCode(scope),
    identity: JSON.stringify(identity),
    family_contacts: JSON.stringify(familyContacts),
  });
  // Phase is server-owned: set it to the program's first phase.
  await scope.setOwned(participants, created.id, {
    phase_key: program.def.phases[0]!.key,
    phase_entered_at: new Date(),
  });
  await refreshBlindIndex(s, scope, created.id, identity);
  return participantView({ ...created, phase_key: program.def.phases[0]!.key, phase_entered_at: new Date() });
}

/** Changes a participant if `version` still matches; identity changes refresh the blind index. */
export async function updateParticipant(
  scope: Scope,
  s: FieldServices,
  id: string,
  version: number,
  b: UpdateParticipantRequest,
): Promise<Participant> {
  const { identity, familyContacts, ...plain } = b;
  const patch = apiToColumns(plain);
  if (identity !== undefined) patch.identity = JSON.stringify(identity);
  if (familyContacts !== undefined) patch.family_contacts = JSON.stringify(familyContacts);
  if ((b.identity || b.familyContacts) && !allows(scope.principal.roles, 'identity.edit')) {
    throw new AppError('FORBIDDEN', 'your role may not change identity data', {
      details: [{ path: 'identity', code: 'field_forbidden' }],
    });
  }
  const u = await scope.update(participants, id, version, patch);
  if (identity) await refreshBlindIndex(s, scope, u.id, identity);
  return participantView(u);
}

/** How long the web shows revealed identity data before hiding it again. */
const REVEAL_SECONDS = 120;

/** Reveals identity and family contacts for a stated purpose (audited with the purpose). */
export async function revealParticipant(scope: Scope, id: string, b: RevealRequest): Promise<RevealResponse> {
  const out = await scope.revealFields(participants, id, 'identity.reveal', `${b.purpose}: ${b.reason}`);
  return {
    identity: out.identity ? (JSON.parse(out.identity) as Identity) : null,
    familyContacts: out.family_contacts ? (JSON.parse(out.family_contacts) as FamilyContact[]) : [],
    revealedAt: new Date().toISOString(),
    hideAfterSeconds: REVEAL_SECONDS,
  };
}
