/**
 * Certificates as documents: the certificate PDF (the learner's language, Arabic and Urdu shaped
 * right-to-left, Gregorian and Hijri dates, verification code and QR code to the public page) and
 * the learner's transcript PDF. Texts: the `certificate.*` messages of the server catalogue.
 */
import type { Locale } from '../../../core/academy.ts';
import { certificateStatus } from '../../../core/certificate.ts';
import { AppError } from '../../../core/errors.ts';
import { authorize } from '../../access/policy.ts';
import type { Principal } from '../../access/principal.ts';
import { under } from '../../i18n/index.ts';
import { renderDocument } from '../../pdf/index.ts';
import type { Services } from '../../services.ts';
import { course, isUuid, ownEnrolment, progressOf, publicBase } from './service.ts';

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
  const t = under('certificate', locale);
  const url = `${publicBase(s)}/verify/${row.code}`;
  const c = course();
  return renderDocument({
    locale,
    title: t('title'),
    subtitle: `${row.tenant_name} — Sanad Academy`,
    footer: `${t('code')}: ${row.code}`,
    blocks: [
      { type: 'paragraph', text: t('awarded') },
      { type: 'heading', text: row.holder_name },
      { type: 'paragraph', text: t('completed') },
      { type: 'heading', text: c.settings.title[locale] },
      { type: 'paragraph', text: c.settings.summary[locale] },
      { type: 'spacer' },
      {
        type: 'keyValue',
        rows: [
          [t('issued'), bothDates(row.issued_at, locale)],
          [t('valid'), bothDates(row.expires_at, locale)],
          [t('issuer'), `${row.tenant_name} — Sanad Academy`],
          ...(c.settings.accreditation.length
            ? [[t('accredits'), c.settings.accreditation.map((a) => a.certification).join(', ')] as [string, string]]
            : []),
          [t('code'), row.code],
          ...(row.revoked_at ? [[t('status'), t('revokedS')] as [string, string]] : []),
        ],
      },
      { type: 'qr', data: url, caption: t('scan', { url }) },
    ],
  });
}

/** My certificate as PDF, with the code for its file name. */
export async function myCertificatePdf(
  s: Services,
  p: Principal,
  requestId: string,
  id: string,
  locale: Locale,
): Promise<{ code: string; pdf: Buffer }> {
  await authorize(s, p, requestId, 'academy.learn', 'certificate');
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
  return { code: row.code, pdf: await certificatePdf(s, row, locale) };
}

/** My learning transcript for an enrolment: modules, status, quiz grades, completion dates. */
export async function transcriptPdf(
  s: Services,
  p: Principal,
  requestId: string,
  enrolmentId: string,
  locale: Locale,
): Promise<Buffer> {
  await authorize(s, p, requestId, 'academy.learn', 'enrolment');
  const e = await ownEnrolment(s.db, p, enrolmentId);
  const t = under('certificate', locale);
  const pr = await progressOf(s.db, e);
  const cert = await s.db
    .selectFrom('academy_certificates')
    .select(['code', 'issued_at', 'expires_at', 'revoked_at'])
    .where('enrolment_id', '=', e.id)
    .executeTakeFirst();
  const c0 = course();
  return renderDocument({
    locale,
    title: t('transcript'),
    subtitle: c0.settings.title[locale],
    footer: t('generated', { date: day(new Date(), locale) }),
    blocks: [
      {
        type: 'keyValue',
        rows: [
          [t('learner'), p.displayName],
          [t('cohort'), `${e.cohort_name} (${e.member_state})`],
          ...(cert ? [[t('code'), `${cert.code} — ${t(`${certificateStatus(cert)}S`)}`] as [string, string]] : []),
        ],
      },
      {
        type: 'table',
        columns: [t('module'), t('state'), t('grade'), t('completedOn')],
        rows: pr.modules.map((m) => [
          c0.modules.find((x) => x.id === m.id)!.title[locale],
          t(m.state === 'complete' ? 'complete' : m.state),
          m.quiz.grade === null ? '—' : `${m.quiz.grade}%`,
          m.completedAt ? day(new Date(m.completedAt), locale) : '—',
        ]),
      },
    ],
  });
}
