/** A synthetic case-summary document per locale, for tests, previews and visual checks. */
import type { PdfDoc, PdfLocale } from './types.ts';

const T = {
  en: {
    title: 'Participant case summary',
    subtitle: 'Synthetic demo data — not a real person',
    footer: 'Generated 2025-01-31 — confidential',
    profile: 'Profile',
    rows: [
      ['Participant code', 'SN-7K3M9Q'],
      ['Phase', 'Reintegration (phase 3 of 4)'],
      ['Case manager', 'Sara Jones'],
      ['Opened', '2024-03-15'],
    ],
    sessions: 'Sessions',
    cols: ['#', 'Date', 'Type', 'Facilitator', 'Notes'],
    type: ['Individual', 'Family', 'Group'],
    note: 'Attended; follow-up agreed',
    summary: 'Summary',
    para: 'Participant SN-7K3M9Q attended 12 of 16 planned sessions (75%) with facilitator Sara Jones between 2024-03-15 and 2025-01-31. Vocational training continues; the family session on 2025-02-10 is confirmed.',
  },
  fr: {
    title: 'Synthèse du dossier du participant',
    subtitle: 'Données de démonstration synthétiques — personne fictive',
    footer: 'Généré le 31/01/2025 — confidentiel',
    profile: 'Profil',
    rows: [
      ['Code participant', 'SN-7K3M9Q'],
      ['Phase', 'Réintégration (phase 3 sur 4)'],
      ['Référente', 'Sara Jones'],
      ['Ouverture', '15/03/2024'],
    ],
    sessions: 'Séances',
    cols: ['#', 'Date', 'Type', 'Animateur', 'Notes'],
    type: ['Individuelle', 'Famille', 'Groupe'],
    note: 'Présent ; suivi convenu',
    summary: 'Synthèse',
    para: 'Le participant SN-7K3M9Q a suivi 12 des 16 séances prévues (75 %) avec Sara Jones entre le 15/03/2024 et le 31/01/2025. La formation professionnelle se poursuit.',
  },
  ar: {
    title: 'ملخص ملف المشارك',
    subtitle: 'بيانات تجريبية مصطنعة — ليست لشخص حقيقي',
    footer: 'أُنشئ في 2025-01-31 — سرّي',
    profile: 'الملف الشخصي',
    rows: [
      ['رمز المشارك', 'SN-7K3M9Q'],
      ['المرحلة', 'إعادة الإدماج (المرحلة 3 من 4)'],
      ['مديرة الحالة', 'سارة Jones'],
      ['تاريخ الفتح', '2024-03-15'],
    ],
    sessions: 'الجلسات',
    cols: ['#', 'التاريخ', 'النوع', 'الميسّر', 'ملاحظات'],
    type: ['فردية', 'عائلية', 'جماعية'],
    note: 'حضر؛ تمّ الاتفاق على المتابعة',
    summary: 'الخلاصة',
    para: 'حضر المشارك SN-7K3M9Q اثنتي عشرة جلسة (12 من أصل 16، أي 75%) مع الميسّرة سارة Jones بين 2024-03-15 و2025-01-31. يستمر التدريب المهني، وتأكّدت الجلسة العائلية في 2025-02-10 لا سيّما بعد التقدّم الملحوظ.',
  },
  ur: {
    title: 'شرکت کنندہ کے کیس کا خلاصہ',
    subtitle: 'مصنوعی نمونہ ڈیٹا — کوئی حقیقی شخص نہیں',
    footer: '2025-01-31 کو تیار کیا گیا — خفیہ',
    profile: 'پروفائل',
    rows: [
      ['شرکت کنندہ کوڈ', 'SN-7K3M9Q'],
      ['مرحلہ', 'دوبارہ انضمام (مرحلہ 3 از 4)'],
      ['کیس مینیجر', 'سارہ Jones'],
      ['آغاز', '2024-03-15'],
    ],
    sessions: 'سیشن',
    cols: ['#', 'تاریخ', 'قسم', 'سہولت کار', 'نوٹس'],
    type: ['انفرادی', 'خاندانی', 'گروپ'],
    note: 'حاضر؛ فالو اپ طے ہوا',
    summary: 'خلاصہ',
    para: 'شرکت کنندہ SN-7K3M9Q نے سہولت کار سارہ Jones کے ساتھ 2024-03-15 اور 2025-01-31 کے درمیان 16 میں سے 12 سیشنوں (75%) میں شرکت کی۔ پیشہ ورانہ تربیت جاری ہے اور 2025-02-10 کا خاندانی سیشن طے ہو گیا ہے۔',
  },
} as const;

/** Builds the synthetic case summary (34 session rows, so the table spans pages) in one locale. */
export function sampleCaseSummary(locale: PdfLocale, sessions = 34): PdfDoc {
  const t = T[locale];
  const rows = Array.from({ length: sessions }, (_, i) => {
    const d = new Date(Date.UTC(2024, 2, 15) + i * 9 * 86_400_000).toISOString().slice(0, 10);
    return [String(i + 1), d, t.type[i % 3]!, i % 2 ? 'Sara Jones' : t.rows[2][1], t.note];
  });
  return {
    locale,
    title: t.title,
    subtitle: t.subtitle,
    footer: t.footer,
    blocks: [
      { type: 'heading', text: t.profile },
      { type: 'keyValue', rows: t.rows.map(([k, v]) => [k, v] as [string, string]) },
      { type: 'heading', text: t.summary },
      { type: 'paragraph', text: t.para },
      { type: 'spacer' },
      { type: 'heading', text: t.sessions },
      { type: 'table', columns: [...t.cols], rows },
    ],
  };
}
