/** Consent and legal basis per purpose, with expiry and withdrawal. Through the Scope. */
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../../core/errors.ts';
import { ConsentPurpose, IsoDate, LEGAL_BASES } from '../../../core/participant.ts';
import { safeText } from '../../../core/text.ts';
import { Scope } from '../../access/scope.ts';
import { consents, participants } from '../../access/entities.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';

const Consent = z
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
const CreateConsentRequest = z
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
const WithdrawRequest = z.strictObject({ reason: z.string().trim().min(1).max(500) }).openapi('WithdrawConsentRequest');
const IdParam = z.object({ id: z.string().max(64) });

function view(r: Record<string, unknown>) {
  return {
    id: r.id as string,
    participantId: r.participant_id as string,
    purpose: r.purpose as z.infer<typeof ConsentPurpose>,
    legalBasis: r.legal_basis as (typeof LEGAL_BASES)[number],
    status: r.status as 'given' | 'withdrawn',
    givenOn: String(r.given_on),
    source: r.source as string,
    expiresOn: (r.expires_on as string | null) ?? null,
    withdrawnAt: r.withdrawn_at instanceof Date ? r.withdrawn_at.toISOString() : null,
    withdrawalReason: (r.withdrawal_reason as string | null) ?? null,
    version: r.version as number,
    createdAt: (r.created_at as Date).toISOString(),
  };
}

/** Routes for /participants/{id}/consents and /consents/{id}/withdraw. */
export function consentRoutes() {
  const app = router();
  const tags = ['consent'];
  const common = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/consents',
      tags,
      summary: 'Consents and legal bases of a participant',
      request: { params: IdParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(Consent) })), ...common },
    }),
    async (c) => {
      const items = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        await scope.get(participants, c.req.valid('param').id);
        return scope.listFull(consents, (q) =>
          q
            .where('consents.participant_id', '=', c.req.valid('param').id)
            .orderBy('consents.purpose')
            .orderBy('consents.created_at', 'desc'),
        );
      });
      return c.json({ items: items.map(view) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/consents',
      tags,
      summary: 'Record consent or a legal basis for a purpose',
      request: { params: IdParam, body: jsonBody(CreateConsentRequest) },
      responses: { 201: jsonResponse(Consent, 'Recorded'), ...common },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(consents.actions.create, { type: 'consent' });
        const p = await scope.get(participants, c.req.valid('param').id);
        return scope.create(
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
      });
      etag(c, r.version as number);
      return c.json(view(r), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/consents/{id}/withdraw',
      tags,
      summary: 'Withdraw a consent (If-Match)',
      request: { params: IdParam, body: jsonBody(WithdrawRequest) },
      responses: {
        200: jsonResponse(Consent),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED'),
      },
    }),
    async (c) => {
      const version = ifMatch(c);
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const cur = await scope.get(consents, c.req.valid('param').id);
        if (cur.status === 'withdrawn')
          throw new AppError('VALIDATION_FAILED', 'already withdrawn', {
            details: [{ path: 'status', code: 'already_withdrawn' }],
          });
        return scope.update(
          consents,
          cur.id as string,
          version,
          { status: 'withdrawn', withdrawn_at: new Date(), withdrawal_reason: c.req.valid('json').reason },
          { details: { purpose: String(cur.purpose) } },
        );
      });
      etag(c, r.version as number);
      return c.json(view(r), 200);
    },
  );
  return app;
}
