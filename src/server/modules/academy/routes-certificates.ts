/**
 * HTTP routes for certificates as documents (the learner's certificate and transcript PDFs) and the
 * public JSON checks under /api/v1/public (service-documents.ts, service-public.ts).
 */
import { createRoute } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { AppError } from '../../../core/errors.ts';
import { errors, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { rateLimit } from '../auth/throttle.ts';
import {
  CertificateStatus,
  CodeParam,
  IdParam,
  LocaleQuery,
  PdfResponse,
  PublicKeys,
  VerifyCredentialBody,
  VerifyCredentialResponse,
} from './schema.ts';
import { myCertificatePdf, transcriptPdf } from './service-documents.ts';
import { certificateByCode, verifyCredential } from './service-public.ts';
import { course } from './service.ts';

/** Routes: certificate and transcript PDFs (learner). */
export function certificateRoutes() {
  const app = router();

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/certificates/{id}/pdf',
      tags: ['academy'],
      summary: 'My certificate as PDF',
      request: { params: IdParam, query: LocaleQuery },
      responses: { 200: PdfResponse, ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const locale = c.req.valid('query').locale ?? p.locale;
      const { code, pdf } = await myCertificatePdf(
        c.get('services'),
        p,
        c.get('requestId'),
        c.req.valid('param').id,
        locale,
      );
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="certificate-${code}.pdf"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}/transcript.pdf',
      tags: ['academy'],
      summary: 'My learning transcript (modules, status, quiz grades, completion dates)',
      request: { params: IdParam, query: LocaleQuery },
      responses: { 200: PdfResponse, ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const p = requireUser(c);
      const locale = c.req.valid('query').locale ?? p.locale;
      const pdf = await transcriptPdf(c.get('services'), p, c.get('requestId'), c.req.valid('param').id, locale);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': 'attachment; filename="transcript.pdf"',
      });
    },
  );

  return app;
}

/**
 * Public routes under /api/v1/public: no login, any origin (CORS, no credentials), rate limited per
 * address; mounted outside the app's origin check so other sites and servers can verify.
 */
export function publicRoutes() {
  const app = router();
  app.use(
    '/public/*',
    cors({ origin: '*', allowMethods: ['GET', 'POST'], allowHeaders: ['content-type'], maxAge: 600 }),
  );
  app.use('/public/*', async (c, next) => {
    await rateLimit(c.get('services').db, `public:ip:${c.get('clientIp')}`, 120, 60);
    await next();
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/public/certificates/{code}',
      tags: ['public'],
      summary: 'Public: a certificate code’s status, name, course and dates (nothing else); unknown codes 404',
      request: { params: CodeParam },
      responses: { 200: jsonResponse(CertificateStatus), ...errors('NOT_FOUND') },
    }),
    async (c) => {
      const row = await certificateByCode(c.get('services'), c.req.valid('param').code);
      if (!row) throw new AppError('NOT_FOUND', 'not found');
      return c.json(
        {
          status: row.status,
          holderName: row.holder_name,
          course: course().settings.title.en,
          issuedAt: row.issued_at.toISOString(),
          expiresAt: row.expires_at.toISOString(),
          issuer: row.issuer,
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/public/credentials/verify',
      tags: ['public'],
      summary: 'Public: verify an Open Badges credential (compact JWS): signature by this deployment, then status',
      request: { body: jsonBody(VerifyCredentialBody) },
      responses: { 200: jsonResponse(VerifyCredentialResponse), ...errors('VALIDATION_FAILED') },
    }),
    async (c) => c.json(await verifyCredential(c.get('services'), c.req.valid('json').jws), 200),
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/public/keys',
      tags: ['public'],
      summary: 'Public: the deployment’s signing keys (JWK set) for verifying credentials offline',
      responses: { 200: jsonResponse(PublicKeys), ...errors('UNAVAILABLE') },
    }),
    async (c) => c.json({ keys: await c.get('services').signer.publicKeys() }, 200),
  );

  return app;
}
