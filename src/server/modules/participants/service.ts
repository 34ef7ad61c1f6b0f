/** Participant helpers shared by the case-work routes: views, blind indexes, alerts, gate facts. */
import crypto from 'node:crypto';
import { sql, type RawBuilder } from 'kysely';
import { participantCode } from '../../../core/codes.ts';
import { indexValues, type IdentityKeys } from '../../../core/normalise.ts';
import type { GateFacts } from '../../../core/gates.ts';
import type { ConsentPurpose } from '../../../core/program.ts';
import type { Scope } from '../../access/scope.ts';
import { assessments as assessmentsDef, consents as consentsDef } from '../../access/entities.ts';
import type { Services } from '../../services.ts';

/** A fresh pseudonymous participant code, unused in the tenant (retried on the rare collision). */
export async function newParticipantCode(scope: Scope): Promise<string> {
  for (let i = 0; i < 5; i++) {
    const code = participantCode(crypto.randomBytes(8));
    const taken = await scope.tx
      .selectFrom('participants')
      .select('id')
      .where('tenant_id', '=', scope.principal.tenantId)
      .where('code', '=', code)
      .executeTakeFirst();
    if (!taken) return code;
  }
  throw new Error('could not find a free participant code');
}

/** Replaces a participant's blind-index rows from their identity (inside the scope's transaction). */
export async function refreshBlindIndex(
  s: Services,
  scope: Scope,
  participantId: string,
  identity: IdentityKeys,
): Promise<void> {
  const tenantId = scope.principal.tenantId;
  await scope.tx.deleteFrom('participant_blind_index').where('participant_id', '=', participantId).execute();
  const values = indexValues(identity);
  if (values.length === 0) return;
  const rows = await Promise.all(
    values.map(async (v) => ({
      tenant_id: tenantId,
      participant_id: participantId,
      kind: v.kind,
      hash: await s.fields.blindIndex(tenantId, v.kind, v.value, scope.tx),
    })),
  );
  await scope.tx
    .insertInto('participant_blind_index')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/** Blind-index hashes for a search: kind → hashes. */
export async function searchHashes(
  s: Services,
  scope: Scope,
  identity: IdentityKeys,
): Promise<{ kind: string; hash: Buffer }[]> {
  return Promise.all(
    indexValues(identity).map(async (v) => ({
      kind: v.kind,
      hash: await s.fields.blindIndex(scope.principal.tenantId, v.kind, v.value, scope.tx),
    })),
  );
}

/** A participant row as the API shows it (identity never included). */
export function participantView(r: Record<string, unknown>) {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);
  return {
    id: r.id as string,
    code: r.code as string,
    teamId: r.team_id as string,
    programId: (r.program_id as string | null) ?? null,
    phaseKey: (r.phase_key as string | null) ?? null,
    phaseEnteredAt: iso(r.phase_entered_at),
    legalStatus: (r.legal_status as string | null) ?? null,
    referralSource: (r.referral_source as string | null) ?? null,
    languages: (r.languages as string[] | undefined) ?? [],
    planStatus: (r.plan_status as string) ?? 'draft',
    planApprovedAt: iso(r.plan_approved_at),
    lastSessionAt: iso(r.last_session_at),
    status: (r.status as string) ?? 'active',
    ...('notes' in r ? { notes: (r.notes as string | null) ?? null } : {}),
    version: r.version as number,
    createdAt: (r.created_at as Date).toISOString(),
    updatedAt: (r.updated_at as Date).toISOString(),
  };
}

/** SQL for the alerts that can be computed per row (participants p joined with programs pr). */
export const ALERT_SQL: Record<
  'no_session' | 'plan_not_approved' | 'consent_expiring' | 'handover_pending',
  RawBuilder<boolean>
> = {
  no_session: sql<boolean>`(participants.status = 'active' and coalesce(participants.last_session_at, participants.created_at) < now() - make_interval(days => coalesce((pr.definition->>'noSessionAlertDays')::int, 21)))`,
  plan_not_approved: sql<boolean>`(participants.status = 'active' and participants.plan_status <> 'approved')`,
  consent_expiring: sql<boolean>`exists (select 1 from consents c where c.participant_id = participants.id and c.status = 'given' and c.expires_on is not null and c.expires_on <= current_date + 30)`,
  handover_pending: sql<boolean>`exists (select 1 from handovers h where h.participant_id = participants.id and h.status = 'pending')`,
};

/** The facts the gate engine needs for one participant, read through the scope's transaction. */
export async function gateFacts(
  scope: Scope,
  p: { id: string; phase_entered_at: Date | null; created_at: Date; plan_status: string },
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
    lastAssessmentFinalisedAt: (finals[0]?.finalised_at as Date | undefined) ?? null,
    // Review boards arrive with their own feature; until then no board has decided.
    boardApprovedAt: null,
    planApproved: p.plan_status === 'approved',
    consents: consents.map((c) => ({
      purpose: c.purpose as ConsentPurpose,
      status: c.status as 'given' | 'withdrawn',
      expiresAt: c.expires_on ? new Date(`${String(c.expires_on)}T23:59:59Z`) : null,
    })),
  };
}
