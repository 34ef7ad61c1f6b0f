/** What the academy routes accept and return (learners, staff, certificates and the public checks). */
import { z } from '@hono/zod-openapi';
import { LOCALES } from '../../../core/academy.ts';
import { humanName } from '../../../core/text.ts';

/** Any loose JSON object (most academy answers are described by their route's summary). */
export const Obj = z.record(z.string(), z.unknown());
/** `{ items: [...] }` of loose objects. */
export const Items = z.object({ items: z.array(Obj) });

export const IdParam = z.object({ id: z.string().max(64) });
export const ModuleParam = z.object({ id: z.string().max(64), moduleId: z.string().max(40) });
export const LessonParam = z.object({ id: z.string().max(64), lessonId: z.string().max(40) });
export const AnswerParam = z.object({ id: z.string().max(64), itemId: z.string().max(40) });
export const CodeParam = z.object({ code: z.string().max(40) });
export const LocaleQuery = z.object({ locale: z.enum(LOCALES).optional() });

export const Progress = z.record(z.string(), z.unknown()).openapi('CourseProgress');

export const AnswerBody = z.union([
  z.strictObject({ choice: z.string().max(12) }),
  z.strictObject({ choices: z.array(z.string().max(12)).max(6) }),
  z.strictObject({ value: z.boolean() }),
  z.strictObject({ pairs: z.record(z.string().max(40), z.string().max(40)) }),
]);
export const SaveAnswerResponse = z.object({ saved: z.boolean(), secondsLeft: z.number() });
export const SubmissionBody = z.strictObject({ body: z.string().trim().min(50).max(20_000) });
export const CredentialResponse = z.object({
  format: z.literal('vc+jwt'),
  jws: z.string(),
  credential: z.record(z.string(), z.unknown()),
});

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
export const CohortInput = z.strictObject({
  name: humanName(120),
  memberState: z.string().regex(/^[A-Z]{2}$/, 'a two-letter country code (ISO 3166)'),
  language: z.enum(LOCALES),
  startsOn: Day,
  endsOn: Day,
  capacity: z.number().int().min(1).max(5000),
  facilitatorIds: z.array(z.uuid()).max(20).default([]),
});
export const EnrolBody = z.union([
  z.strictObject({ email: z.string().max(254), name: z.string().max(200) }),
  z.strictObject({ csv: z.string().min(1).max(200_000), commit: z.boolean() }),
]);
export const Facilitators = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });
export const GradeBody = z.strictObject({
  rubric: z.record(z.string().max(40), z.number().int().min(0).max(10)),
  feedback: z.string().trim().min(1).max(5000),
});
export const GrantBody = z.strictObject({ moduleId: z.string().max(40), count: z.number().int().min(1).max(5) });
export const RevokeBody = z.strictObject({ reason: z.string().trim().min(3).max(500) });

export const PdfResponse = {
  description: 'PDF',
  content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
};
export const CertificateStatus = z
  .object({
    status: z.enum(['valid', 'expired', 'revoked']),
    holderName: z.string(),
    course: z.string(),
    issuedAt: z.string(),
    expiresAt: z.string(),
    issuer: z.string(),
  })
  .openapi('CertificateStatus');
export const VerifyCredentialBody = z.strictObject({ jws: z.string().min(1).max(20_000) });
export const VerifyCredentialResponse = z.object({
  verified: z.boolean(),
  status: z.enum(['valid', 'expired', 'revoked', 'unknown', 'invalid_signature']),
  credentialId: z.string().nullable(),
});
export const PublicKeys = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
