/** What the instrument registry and certification routes accept and return. */
import { z } from '@hono/zod-openapi';

export const KeyParam = z.object({ key: z.string().max(60), version: z.string().max(20) });
export const UserParam = z.object({ id: z.string().max(64) });
export const Summary = z
  .object({
    key: z.string(),
    version: z.string(),
    title: z.record(z.string(), z.string()),
    notice: z.record(z.string(), z.string()).nullable(),
    certification: z.string().nullable(),
    status: z.enum(['active', 'retired']),
    shipped: z.boolean(),
    certified: z.boolean(),
  })
  .openapi('InstrumentSummary');
export const Visible = z
  .object({
    definition: z.record(z.string(), z.unknown()),
    wordingHidden: z.boolean(),
    shipped: z.boolean(),
    status: z.enum(['active', 'retired']),
  })
  .openapi('InstrumentVersion');
export const WordingRequest = z
  .strictObject({
    items: z.record(
      z.string().max(60),
      z.strictObject({
        wording: z.partialRecord(z.enum(['en', 'ar', 'ur', 'fr']), z.string().max(2000)).optional(),
        guidance: z.partialRecord(z.enum(['en', 'ar', 'ur', 'fr']), z.string().max(2000)).optional(),
      }),
    ),
  })
  .openapi('InstrumentWordingRequest');
export const Cert = z
  .object({
    id: z.string(),
    userId: z.string(),
    certification: z.string(),
    grantedAt: z.string(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    source: z.string(),
    valid: z.boolean(),
  })
  .openapi('Certification');
export const GrantRequest = z
  .strictObject({
    certification: z.string().regex(/^[a-z][a-z0-9_.-]{0,59}$/),
    expiresAt: z.string().datetime({ offset: true }),
  })
  .refine((b) => Date.parse(b.expiresAt) > Date.now(), { path: ['expiresAt'], message: 'must be in the future' })
  .openapi('GrantCertificationRequest');
export const ImportRequest = z
  .union([
    z.strictObject({ definition: z.record(z.string(), z.unknown()) }),
    z.strictObject({ source: z.string().min(1).max(200_000) }),
  ])
  .openapi('ImportInstrumentRequest');
