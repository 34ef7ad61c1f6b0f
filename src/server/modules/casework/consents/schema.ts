/** What the consent API accepts and returns (the source for OpenAPI and the web's types). */
import { z } from '@hono/zod-openapi';
import { ConsentPurpose, IsoDate, LEGAL_BASES } from '../../../../core/participant.ts';
import { safeText } from '../../../../core/text.ts';

export const Consent = z
  .object({
    id: z.string(),
    participantId: z.string(),
    purpose: ConsentPurpose,
    legalBasis: z.enum(LEGAL_BASES),
    status: z.enum(['given', 'withdrawn']),
    givenOn: z.string(),
    source: z.string(),
    expiresOn: z.string().nullable(),
    withdrawnAt: z.string().nullable(),
    withdrawalReason: z.string().nullable(),
    version: z.number(),
    createdAt: z.string(),
  })
  .openapi('Consent');
export type Consent = z.infer<typeof Consent>;
export const ConsentList = z.object({ items: z.array(Consent) });
export type ConsentList = z.infer<typeof ConsentList>;

export const CreateConsentRequest = z
  .strictObject({
    purpose: ConsentPurpose,
    legalBasis: z.enum(LEGAL_BASES),
    givenOn: IsoDate,
    source: safeText(200),
    expiresOn: IsoDate.optional(),
  })
  .refine((b) => !b.expiresOn || b.expiresOn > b.givenOn, { path: ['expiresOn'], message: 'must be after givenOn' })
  .refine((b) => b.givenOn <= new Date().toISOString().slice(0, 10), {
    path: ['givenOn'],
    message: 'cannot be in the future',
  })
  .openapi('CreateConsentRequest');
export type CreateConsentRequest = z.infer<typeof CreateConsentRequest>;

export const WithdrawConsentRequest = z
  .strictObject({ reason: z.string().trim().min(1).max(500) })
  .openapi('WithdrawConsentRequest');
export type WithdrawConsentRequest = z.infer<typeof WithdrawConsentRequest>;
