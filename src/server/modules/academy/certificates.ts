/**
 * Certificates as documents: the certificate PDF (the learner's language, Arabic and Urdu shaped
 * right-to-left, Gregorian and Hijri dates, verification code and QR code to the public page), the
 * learner's transcript PDF, and the public JSON checks: a code's status, and a credential's signature
 * plus status (a tampered credential fails; a revoked one says revoked).
 */
import { createRoute, z } from '@hono/zod-openapi';
import { LOCALES, type Locale } from '../../../core/academy.ts';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import { errors, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { renderDocument } from '../../pdf/index.ts';
import { cors } from 'hono/cors';
import { rateLimit } from '../auth/throttle.ts';
import type { Services } from '../../services.ts';
import { certificateStatus, course, isUuid, normaliseCode, ownEnrolment, progressOf, publicBase } from './service.ts';

const TEXT: Record<Locale, Record<string, string>> = {
  en: {
    title: 'Certificate of completion',
    awarded: 'This certifies that',
    completed: 'has completed the course',
    issued: 'Issued',
    valid: 'Valid until',
    code: 'Verification code',
    scan: 'Scan or visit {url} to verify',
    issuer: 'Issuer',
    hijri: 'Hijri',
    transcript: 'Learning transcript',
    module: 'Module',
    state: 'Status',
    grade: 'Quiz grade',
    completedOn: 'Completed',
    complete: 'Complete',
    open: 'In progress',
    locked: 'Not started',
    learner: 'Learner',
    cohort: 'Cohort',
    generated: 'Generated {date}',
    accredits: 'Accredits',
    status: 'Status',
    validS: 'valid',
    expiredS: 'expired',
    revokedS: 'revoked',
  },
  ar: {
    title: 'شهادة إتمام',
    awarded: 'تشهد هذه الوثيقة بأن',
    completed: 'قد أتمّ المقرر',
    issued: 'تاريخ الإصدار',
    valid: 'صالحة حتى',
    code: 'رمز التحقق',
    scan: 'امسح الرمز أو زر {url} للتحقق',
    issuer: 'الجهة المصدرة',
    hijri: 'هجري',
    transcript: 'سجل التعلم',
    module: 'الوحدة',
    state: 'الحالة',
    grade: 'درجة الاختبار',
    completedOn: 'تاريخ الإتمام',
    complete: 'مكتملة',
    open: 'قيد التقدم',
    locked: 'لم تبدأ',
    learner: 'المتعلم',
    cohort: 'الدفعة',
    generated: 'أُنشئ في {date}',
    accredits: 'يمنح اعتماد',
    status: 'الحالة',
    validS: 'صالحة',
    expiredS: 'منتهية',
    revokedS: 'ملغاة',
  },
  ur: {
    title: 'تکمیل کا سرٹیفکیٹ',
    awarded: 'تصدیق کی جاتی ہے کہ',
    completed: 'نے یہ کورس مکمل کر لیا ہے',
    issued: 'تاریخِ اجرا',
    valid: 'کارآمد تا',
    code: 'تصدیقی کوڈ',
    scan: 'تصدیق کے لیے کوڈ اسکین کریں یا {url} دیکھیں',
    issuer: 'جاری کنندہ',
    hijri: 'ہجری',
    transcript: 'تعلیمی ریکارڈ',
    module: 'ماڈیول',
    state: 'کیفیت',
    grade: 'کوئز کا نتیجہ',
    completedOn: 'تکمیل',
    complete: 'مکمل',
    open: 'جاری',
    locked: 'شروع نہیں ہوا',
    learner: 'سیکھنے والا',
    cohort: 'گروپ',
    generated: 'تیار کردہ {date}',
    accredits: 'اجازت نامہ',
    status: 'کیفیت',
    validS: 'درست',
    expiredS: 'میعاد ختم',
    revokedS: 'منسوخ',
  },
  fr: {
    title: 'Certificat de réussite',
    awarded: 'Il est certifié que',
    completed: 'a suivi avec succès le cours',
    issued: 'Délivré le',
    valid: 'Valable jusqu’au',
    code: 'Code de vérification',
    scan: 'Scannez ou consultez {url} pour vérifier',
    issuer: 'Émetteur',
    hijri: 'Hégire',
    transcript: 'Relevé de formation',
    module: 'Module',
    state: 'État',
    grade: 'Note du quiz',
    completedOn: 'Terminé le',
    complete: 'Terminé',
    open: 'En cours',
    locked: 'Non commencé',
    learner: 'Apprenant',
    cohort: 'Promotion',
    generated: 'Généré le {date}',
    accredits: 'Habilitation',
    status: 'Statut',
    validS: 'valide',
    expiredS: 'expiré',
    revokedS: 'révoqué',
  },
};
const fill = (s: string, v: Record<string, string>) => s.replace(/\{(\w+)\}/g, (_, k: string) => v[k] ?? '');
const day = (d: Date, locale: Locale, cal?: 'islamic-umalqura') =>
  new Intl.DateTimeFormat(`${locale}${cal ? '-u-ca-' + cal : ''}`, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
/** Gregorian, then Hijri (Umm al-Qura; the formatter adds the era, e.g. هـ / AH). */
const bothDates = (d: Date, locale: Locale) => `${day(d, locale)} — ${day(d, locale, 'islamic-umalqura')}`;

/** Renders a certificate PDF. */
export async function certificatePdf(
  s: Services,
  row: {
    code: string;
    holder_name: string;
    issued_at: Date;
    expires_at: Date;
    revoked_at: Date | null;
    tenant_name: string;
  },
  locale: Locale,
): Promise<Buffer> {
  const t = TEXT[locale];
  const url = `${publicBase(s)}/verify/${row.code}`;
  const c = course();
  return renderDocument({
    locale,
    title: t.title!,
    subtitle: `${row.tenant_name} — Sanad Academy`,
    footer: `${t.code}: ${row.code}`,
    blocks: [
      { type: 'paragraph', text: t.awarded! },
      { type: 'heading', text: row.holder_name },
      { type: 'paragraph', text: t.completed! },
      { type: 'heading', text: c.settings.title[locale] },
      { type: 'paragraph', text: c.settings.summary[locale] },
      { type: 'spacer' },
      {
        type: 'keyValue',
        rows: [
          [t.issued!, bothDates(row.issued_at, locale)],
          [t.valid!, bothDates(row.expires_at, locale)],
          [t.issuer!, `${row.tenant_name} — Sanad Academy`],
          ...(c.settings.accreditation.length
            ? [[t.accredits!, c.settings.accreditation.map((a) => a.certification).join(', ')] as [string, string]]
            : []),
          [t.code!, row.code],
          ...(row.revoked_at ? [[t.status!, t.revokedS!] as [string, string]] : []),
        ],
      },
      { type: 'qr', data: url, caption: fill(t.scan!, { url }) },
    ],
  });
}

/** Routes: certificate and transcript PDFs (learner), public JSON verification. */
export function certificateRoutes() {
  const app = router();
  const Lq = z.object({ locale: z.enum(LOCALES).optional() });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/certificates/{id}/pdf',
      tags: ['academy'],
      summary: 'My certificate as PDF',
      request: { params: z.object({ id: z.string().max(64) }), query: Lq },
      responses: {
        200: {
          description: 'PDF',
          content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'certificate');
      const id = c.req.valid('param').id;
      const row = isUuid(id)
        ? await s.db
            .selectFrom('academy_certificates as x')
            .innerJoin('tenants as t', 't.id', 'x.tenant_id')
            .select(['x.code', 'x.holder_name', 'x.issued_at', 'x.expires_at', 'x.revoked_at', 't.name as tenant_name'])
            .where('x.id', '=', id)
            .where('x.user_id', '=', p.userId)
            .where('x.tenant_id', '=', p.tenantId)
            .executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('NOT_FOUND', 'not found');
      const pdf = await certificatePdf(s, row, c.req.valid('query').locale ?? p.locale);
      return c.body(new Uint8Array(pdf), 200, {
        'Content-Type': 'application/pdf',
        'Content-Disposition': `attachment; filename="certificate-${row.code}.pdf"`,
      });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/academy/enrolments/{id}/transcript.pdf',
      tags: ['academy'],
      summary: 'My learning transcript (modules, status, quiz grades, completion dates)',
      request: { params: z.object({ id: z.string().max(64) }), query: Lq },
      responses: {
        200: {
          description: 'PDF',
          content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
        },
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const p = requireUser(c);
      const s = c.get('services');
      await authorize(s, p, c.get('requestId'), 'academy.learn', 'enrolment');
      const e = await ownEnrolment(s.db, p, c.req.valid('param').id);
      const locale = c.req.valid('query').locale ?? p.locale;
      const t = TEXT[locale];
      const pr = await progressOf(s.db, e);
      const cert = await s.db
        .selectFrom('academy_certificates')
        .select(['code', 'issued_at', 'expires_at', 'revoked_at'])
        .where('enrolment_id', '=', e.id)
        .executeTakeFirst();
      const c0 = course();
      const pdf = await renderDocument({
        locale,
        title: t.transcript!,
        subtitle: c0.settings.title[locale],
        footer: fill(t.generated!, { date: day(new Date(), locale) }),
        blocks: [
          {
            type: 'keyValue',
            rows: [
              [t.learner!, p.displayName],
              [t.cohort!, `${e.cohort_name} (${e.member_state})`],
              ...(cert ? [[t.code!, `${cert.code} — ${t[`${certificateStatus(cert)}S`]}`] as [string, string]] : []),
            ],
          },
          {
            type: 'table',
            columns: [t.module!, t.state!, t.grade!, t.completedOn!],
            rows: pr.modules.map((m) => [
              c0.modules.find((x) => x.id === m.id)!.title[locale],
              t[m.state === 'complete' ? 'complete' : m.state]!,
              m.quiz.grade === null ? '—' : `${m.quiz.grade}%`,
              m.completedAt ? day(new Date(m.completedAt), locale) : '—',
            ]),
          },
        ],
      });
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
  const Status = z
    .object({
      status: z.enum(['valid', 'expired', 'revoked']),
      holderName: z.string(),
      course: z.string(),
      issuedAt: z.string(),
      expiresAt: z.string(),
      issuer: z.string(),
    })
    .openapi('CertificateStatus');

  app.openapi(
    createRoute({
      method: 'get',
      path: '/public/certificates/{code}',
      tags: ['public'],
      summary: 'Public: a certificate code’s status, name, course and dates (nothing else); unknown codes 404',
      request: { params: z.object({ code: z.string().max(40) }) },
      responses: { 200: jsonResponse(Status), ...errors('NOT_FOUND') },
    }),
    async (c) => {
      const s = c.get('services');
      const code = normaliseCode(c.req.valid('param').code);
      const row = code
        ? await s.db
            .selectFrom('academy_certificates as x')
            .innerJoin('tenants as t', 't.id', 'x.tenant_id')
            .select(['x.holder_name', 'x.issued_at', 'x.expires_at', 'x.revoked_at', 't.name as tenant_name'])
            .where('x.code', '=', code)
            .executeTakeFirst()
        : undefined;
      if (!row) throw new AppError('NOT_FOUND', 'not found');
      return c.json(
        {
          status: certificateStatus(row),
          holderName: row.holder_name,
          course: course().settings.title.en,
          issuedAt: row.issued_at.toISOString(),
          expiresAt: row.expires_at.toISOString(),
          issuer: `${row.tenant_name} — Sanad Academy`,
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
      request: { body: jsonBody(z.strictObject({ jws: z.string().min(1).max(20_000) })) },
      responses: {
        200: jsonResponse(
          z.object({
            verified: z.boolean(),
            status: z.enum(['valid', 'expired', 'revoked', 'unknown', 'invalid_signature']),
            credentialId: z.string().nullable(),
          }),
        ),
        ...errors('VALIDATION_FAILED'),
      },
    }),
    async (c) => {
      const s = c.get('services');
      let payload: { jti?: string; sub?: string };
      try {
        payload = (await s.signer.verify(c.req.valid('json').jws, 'vc+jwt')) as typeof payload;
      } catch {
        return c.json({ verified: false, status: 'invalid_signature' as const, credentialId: null }, 200);
      }
      const code = payload.sub?.startsWith('urn:sanad:certificate:')
        ? payload.sub.slice('urn:sanad:certificate:'.length)
        : '';
      const row = code
        ? await s.db
            .selectFrom('academy_certificates')
            .select(['id', 'expires_at', 'revoked_at'])
            .where('code', '=', code)
            .executeTakeFirst()
        : undefined;
      if (!row || `urn:uuid:${row.id}` !== payload.jti)
        return c.json({ verified: false, status: 'unknown' as const, credentialId: payload.jti ?? null }, 200);
      const status = certificateStatus(row);
      return c.json({ verified: status === 'valid', status, credentialId: payload.jti ?? null }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/public/keys',
      tags: ['public'],
      summary: 'Public: the deployment’s signing keys (JWK set) for verifying credentials offline',
      responses: {
        200: jsonResponse(z.object({ keys: z.array(z.record(z.string(), z.unknown())) })),
        ...errors('UNAVAILABLE'),
      },
    }),
    async (c) => c.json({ keys: (await c.get('services').signer.publicKeys()) as Record<string, unknown>[] }, 200),
  );

  return app;
}
