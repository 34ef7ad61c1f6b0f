/**
 * What the participants API accepts and returns: the single source for the OpenAPI document and the
 * web's types (`import type` these and `z.infer` them).
 */
import { z } from '@hono/zod-openapi';
import {
  ALERTS,
  FamilyContact,
  Identity,
  LanguageCode,
  LegalStatus,
  NOTE_MAX,
  REVEAL_PURPOSES,
} from '../../../core/participant.ts';
import { MATCH_STRENGTHS } from '../../../core/casework.ts';
import { humanName, safeText } from '../../../core/text.ts';
import { PageQuery } from '../../http/openapi.ts';

/** A record id in a path: malformed ids answer 404 like missing ones, so only the length is checked here. */
export const IdParam = z.object({ id: z.string().max(64) });

export const Participant = z
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
export type Participant = z.infer<typeof Participant>;

/** Alerts a list row or a record can carry. */
export const Alerts = z.array(z.enum(ALERTS));
/** One participant with its alerts (`GET /participants/{id}`). */
export const ParticipantWithAlerts = Participant.extend({ alerts: Alerts });
export type ParticipantWithAlerts = z.infer<typeof ParticipantWithAlerts>;

export const ParticipantListItem = Participant.omit({ notes: true }).extend({ alerts: Alerts });
export type ParticipantListItem = z.infer<typeof ParticipantListItem>;
export const ParticipantList = z
  .object({ items: z.array(ParticipantListItem), nextCursor: z.string().nullable() })
  .openapi('ParticipantList');
export type ParticipantList = z.infer<typeof ParticipantList>;

export const CreateParticipantRequest = z
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
export type CreateParticipantRequest = z.infer<typeof CreateParticipantRequest>;

export const UpdateParticipantRequest = z
  .strictObject({
    legalStatus: LegalStatus.optional(),
    referralSource: safeText(200, { min: 0 }).nullable().optional(),
    languages: z.array(LanguageCode).max(10).optional(),
    notes: z.string().max(NOTE_MAX).nullable().optional(),
    identity: Identity.optional(),
    familyContacts: z.array(FamilyContact).max(20).optional(),
  })
  .openapi('UpdateParticipantRequest');
export type UpdateParticipantRequest = z.infer<typeof UpdateParticipantRequest>;

export const ParticipantSearchRequest = z
  .strictObject({
    givenName: humanName(100, { min: 0 }).optional(),
    familyName: humanName(100, { min: 0 }).optional(),
    dateOfBirth: z.string().max(10).optional(),
    nationalId: humanName(50, { min: 0 }).optional(),
    /** Also return weak matches (a name part or a birth date alone); off by default, they are mostly noise. */
    includeWeak: z.boolean().optional(),
  })
  // A strong combination only, so the search cannot be used to enumerate identities field by field.
  .refine(
    (b) =>
      !!b.nationalId || (!!b.givenName && !!b.familyName) || (!!b.dateOfBirth && (!!b.givenName || !!b.familyName)),
    { message: 'give a full name, a name with the date of birth, or an ID number', path: ['givenName'] },
  )
  .openapi('ParticipantSearchRequest');
export type ParticipantSearchRequest = z.infer<typeof ParticipantSearchRequest>;

export const ParticipantSearchMatch = z.object({
  id: z.string(),
  code: z.string(),
  programId: z.string().nullable(),
  phaseKey: z.string().nullable(),
  matchedOn: z.array(z.string()),
  /** How far the match can be trusted: `strong` (ID number, or full name and birth date), `possible`, `weak`. */
  strength: z.enum(MATCH_STRENGTHS).optional(),
  /** Why it matched: `id_number`, `full_name`, `name_part`, `date_of_birth`. */
  reasons: z.array(z.enum(['id_number', 'full_name', 'name_part', 'date_of_birth'])).optional(),
  /** Context to tell candidates apart without opening each (no identifying data; program and phase are above). */
  teamName: z.string().nullable().optional(),
  /** The month the case was registered, `YYYY-MM`. */
  registeredMonth: z.string().optional(),
});
export type ParticipantSearchMatch = z.infer<typeof ParticipantSearchMatch>;
export const ParticipantSearchResult = z
  .object({ items: z.array(ParticipantSearchMatch) })
  .openapi('ParticipantSearchResult');
export type ParticipantSearchResult = z.infer<typeof ParticipantSearchResult>;

export const RevealRequest = z
  .strictObject({ purpose: z.enum(REVEAL_PURPOSES), reason: z.string().trim().min(3).max(500) })
  .openapi('RevealRequest');
export type RevealRequest = z.infer<typeof RevealRequest>;
export const RevealResponse = z
  .object({
    identity: Identity.nullable(),
    familyContacts: z.array(FamilyContact),
    revealedAt: z.string(),
    hideAfterSeconds: z.number(),
  })
  .openapi('RevealResponse');
export type RevealResponse = z.infer<typeof RevealResponse>;

/** Caseload sort keys. */
export const CASELOAD_SORTS = ['created', 'code', 'phaseEntered', 'lastSession'] as const;
/** Alerts the caseload can be filtered by (those computed per row in SQL). */
export const ROW_ALERTS = ['no_session', 'plan_not_approved', 'consent_expiring', 'handover_pending'] as const;
export const CaseloadQuery = z.object({
  ...PageQuery,
  programId: z.string().uuid().optional(),
  phase: z.string().max(40).optional(),
  teamMemberId: z.string().uuid().optional(),
  alert: z.enum(ROW_ALERTS).optional(),
  q: z.string().trim().max(32).optional(),
  sort: z.enum(CASELOAD_SORTS).default('created'),
  dir: z.enum(['asc', 'desc']).optional(),
});
export type CaseloadQuery = z.infer<typeof CaseloadQuery>;
