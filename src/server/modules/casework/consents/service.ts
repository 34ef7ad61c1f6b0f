/** Consent and legal basis per purpose, with expiry and withdrawal. Through the Scope; no HTTP. */
import { AppError } from '../../../../core/errors.ts';
import type { Scope, Visible } from '../../../access/scope.ts';
import { consents, participants } from '../../../access/entities.ts';
import type { Consent, ConsentList, CreateConsentRequest, WithdrawConsentRequest } from './schema.ts';

/** A consent row as the API shows it. */
export function consentView(r: Visible<'consents'>): Consent {
  return {
    id: r.id,
    participantId: r.participant_id,
    purpose: r.purpose,
    legalBasis: r.legal_basis,
    status: r.status,
    givenOn: String(r.given_on),
    source: r.source,
    expiresOn: r.expires_on,
    withdrawnAt: r.withdrawn_at ? r.withdrawn_at.toISOString() : null,
    withdrawalReason: r.withdrawal_reason ?? null,
    version: r.version,
    createdAt: r.created_at.toISOString(),
  };
}

/** A participant's consents and legal bases (the participant read is the audited event). */
export async function listConsents(scope: Scope, participantId: string): Promise<ConsentList> {
  await scope.get(participants, participantId);
  const rows = await scope.listFull(consents, (q) =>
    q
      .where('consents.participant_id', '=', participantId)
      .orderBy('consents.purpose')
      .orderBy('consents.created_at', 'desc'),
  );
  return { items: rows.map(consentView) };
}

/** Records consent or a legal basis for a purpose. */
export async function recordConsent(scope: Scope, participantId: string, b: CreateConsentRequest): Promise<Consent> {
  scope.require(consents.actions.create, { type: 'consent' });
  const p = await scope.get(participants, participantId);
  const r = await scope.create(
    consents,
    {
      participant_id: p.id,
      purpose: b.purpose,
      legal_basis: b.legalBasis,
      given_on: b.givenOn,
      source: b.source,
      expires_on: b.expiresOn ?? null,
    },
    { details: { purpose: b.purpose } },
  );
  return consentView(r);
}

/** Withdraws a consent if `version` still matches. */
export async function withdrawConsent(
  scope: Scope,
  consentId: string,
  version: number,
  b: WithdrawConsentRequest,
): Promise<Consent> {
  const cur = await scope.get(consents, consentId);
  if (cur.status === 'withdrawn')
    throw new AppError('VALIDATION_FAILED', 'already withdrawn', {
      details: [{ path: 'status', code: 'already_withdrawn' }],
    });
  const r = await scope.update(
    consents,
    cur.id,
    version,
    { status: 'withdrawn', withdrawn_at: new Date(), withdrawal_reason: b.reason },
    { details: { purpose: String(cur.purpose) } },
  );
  return consentView(r);
}
