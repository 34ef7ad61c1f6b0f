/** Shapes of participant data shared by server and web: identity, family contacts, plan, sessions. */
import { z } from 'zod';
import { humanName, safeText } from './text.ts';
import { CONSENT_PURPOSES, DOMAINS, LEGAL_STATUSES } from './vocabulary.ts';

// The code lists live in vocabulary.ts (no zod, so the web can import them).
export {
  ALERTS,
  ATTENDANCE,
  GOAL_STATUSES,
  LEGAL_BASES,
  REVEAL_PURPOSES,
  SESSION_KINDS,
  type Alert,
} from './vocabulary.ts';

/** A calendar date as YYYY-MM-DD that exists. */
export const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'use YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    'not a real date',
  );

/** Identity: encrypted at rest, shown only through an audited reveal. Names and the ID number follow the name rule (core/text.ts). */
export const Identity = z.strictObject({
  givenName: humanName(100),
  familyName: humanName(100),
  otherNames: humanName(200, { min: 0 }).optional(),
  dateOfBirth: IsoDate.optional(),
  sex: z.enum(['female', 'male', 'other', 'unknown']).optional(),
  nationalId: humanName(50, { min: 0 }).optional(),
  nationality: safeText(100, { min: 0 }).optional(),
});
export type Identity = z.infer<typeof Identity>;

/** A family member or guardian to contact: encrypted, shown only through an audited reveal. */
export const FamilyContact = z.strictObject({
  name: humanName(200),
  relationship: safeText(100),
  phone: safeText(50, { min: 0 }).optional(),
  address: safeText(500, { min: 0, multiline: true }).optional(),
  notes: z.string().trim().max(1000).optional(),
});
export type FamilyContact = z.infer<typeof FamilyContact>;

/** Largest free-text note (characters). */
export const NOTE_MAX = 20_000;

export const LegalStatus = z.enum(LEGAL_STATUSES);
export const DomainKey = z.enum(DOMAINS);
export const ConsentPurpose = z.enum(CONSENT_PURPOSES);
/** Language codes (BCP 47 primary subtags) a participant speaks. */
export const LanguageCode = z.string().regex(/^[a-z]{2,3}$/, 'a language code such as ar, ur, en');
