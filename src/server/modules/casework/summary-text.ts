/** Words of the case summary PDF in every UI language (ICU is not needed: no plurals here). */
import type { PdfLocale } from '../../pdf/types.ts';

const EN = {
  title: 'Case summary', confidential: 'Confidential — for the case team only', generated: 'Generated {date} by {name}',
  profile: 'Profile', code: 'Participant code', program: 'Program', phase: 'Phase', phaseOf: '{name} ({n} of {total})', legalStatus: 'Legal status', team: 'Case team', languages: 'Languages',
  opened: 'Opened', planStatus: 'Plan', plan: 'Rehabilitation plan', domain: 'Domain', goal: 'Goal', status: 'Status', progress: 'Progress', target: 'Target date',
  sessions: 'Recent sessions', date: 'Date', kind: 'Type', discipline: 'Discipline', attendance: 'Attendance', engagement: 'Engagement (1–5)',
  consent: 'Consent and legal basis', purpose: 'Purpose', basis: 'Basis', given: 'Given', expires: 'Expires', history: 'Phase history', from: 'From', to: 'To', reason: 'Reason', none: 'None recorded',
  'plan.draft': 'Draft', 'plan.submitted': 'Awaiting approval', 'plan.approved': 'Approved',
  'goal.not_started': 'Not started', 'goal.in_progress': 'In progress', 'goal.achieved': 'Achieved', 'goal.discontinued': 'Discontinued',
  'kind.individual': 'Individual', 'kind.group': 'Group', 'kind.family': 'Family', 'att.present': 'Present', 'att.late': 'Late', 'att.absent': 'Absent', 'att.excused': 'Excused',
  'basis.consent': 'Consent', 'basis.legal_obligation': 'Legal obligation', 'basis.court_order': 'Court order', 'basis.vital_interests': 'Vital interests', 'basis.public_task': 'Public task',
  'consent.given': 'Given', 'consent.withdrawn': 'Withdrawn', demo: 'Synthetic demo data — not a real person',
};
type Key = keyof typeof EN;

const AR: Record<Key, string> = {
  title: 'ملخص الحالة', confidential: 'سرّي — لفريق الحالة فقط', generated: 'أُنشئ في {date} بواسطة {name}',
  profile: 'البيانات الأساسية', code: 'رمز المشارك', program: 'البرنامج', phase: 'المرحلة', phaseOf: '{name} ({n} من {total})', legalStatus: 'الوضع القانوني', team: 'فريق الحالة', languages: 'اللغات',
  opened: 'تاريخ الفتح', planStatus: 'الخطة', plan: 'خطة التأهيل', domain: 'المجال', goal: 'الهدف', status: 'الحالة', progress: 'التقدّم', target: 'التاريخ المستهدف',
  sessions: 'الجلسات الأخيرة', date: 'التاريخ', kind: 'النوع', discipline: 'التخصص', attendance: 'الحضور', engagement: 'التفاعل (1–5)',
  consent: 'الموافقة والأساس القانوني', purpose: 'الغرض', basis: 'الأساس', given: 'تاريخ المنح', expires: 'تاريخ الانتهاء', history: 'سجل المراحل', from: 'من', to: 'إلى', reason: 'السبب', none: 'لا يوجد',
  'plan.draft': 'مسودة', 'plan.submitted': 'بانتظار الاعتماد', 'plan.approved': 'معتمدة',
  'goal.not_started': 'لم يبدأ', 'goal.in_progress': 'قيد التنفيذ', 'goal.achieved': 'تحقّق', 'goal.discontinued': 'أُوقف',
  'kind.individual': 'فردية', 'kind.group': 'جماعية', 'kind.family': 'أسرية', 'att.present': 'حاضر', 'att.late': 'متأخر', 'att.absent': 'غائب', 'att.excused': 'غياب بعذر',
  'basis.consent': 'موافقة', 'basis.legal_obligation': 'التزام قانوني', 'basis.court_order': 'أمر قضائي', 'basis.vital_interests': 'مصالح حيوية', 'basis.public_task': 'مهمة عامة',
  'consent.given': 'ممنوحة', 'consent.withdrawn': 'مسحوبة', demo: 'بيانات تجريبية مصطنعة — ليست لشخص حقيقي',
};

const UR: Record<Key, string> = {
  title: 'کیس کا خلاصہ', confidential: 'خفیہ — صرف کیس ٹیم کے لیے', generated: '{date} کو {name} نے تیار کیا',
  profile: 'پروفائل', code: 'شرکت کنندہ کوڈ', program: 'پروگرام', phase: 'مرحلہ', phaseOf: '{name} ({total} میں سے {n})', legalStatus: 'قانونی حیثیت', team: 'کیس ٹیم', languages: 'زبانیں',
  opened: 'آغاز', planStatus: 'منصوبہ', plan: 'بحالی کا منصوبہ', domain: 'شعبہ', goal: 'ہدف', status: 'حیثیت', progress: 'پیش رفت', target: 'ہدف کی تاریخ',
  sessions: 'حالیہ سیشن', date: 'تاریخ', kind: 'قسم', discipline: 'شعبۂ کار', attendance: 'حاضری', engagement: 'شمولیت (1–5)',
  consent: 'رضامندی اور قانونی بنیاد', purpose: 'مقصد', basis: 'بنیاد', given: 'دی گئی', expires: 'ختم', history: 'مراحل کی تاریخ', from: 'سے', to: 'تک', reason: 'وجہ', none: 'کوئی ریکارڈ نہیں',
  'plan.draft': 'مسودہ', 'plan.submitted': 'منظوری کا منتظر', 'plan.approved': 'منظور شدہ',
  'goal.not_started': 'شروع نہیں ہوا', 'goal.in_progress': 'جاری', 'goal.achieved': 'حاصل', 'goal.discontinued': 'بند',
  'kind.individual': 'انفرادی', 'kind.group': 'گروپ', 'kind.family': 'خاندانی', 'att.present': 'حاضر', 'att.late': 'تاخیر', 'att.absent': 'غیر حاضر', 'att.excused': 'رخصت',
  'basis.consent': 'رضامندی', 'basis.legal_obligation': 'قانونی ذمہ داری', 'basis.court_order': 'عدالتی حکم', 'basis.vital_interests': 'اہم مفادات', 'basis.public_task': 'سرکاری فریضہ',
  'consent.given': 'دی گئی', 'consent.withdrawn': 'واپس لی گئی', demo: 'مصنوعی نمونہ ڈیٹا — کوئی حقیقی شخص نہیں',
};

const FR: Record<Key, string> = {
  title: 'Synthèse du dossier', confidential: 'Confidentiel — réservé à l’équipe du dossier', generated: 'Généré le {date} par {name}',
  profile: 'Profil', code: 'Code du participant', program: 'Programme', phase: 'Phase', phaseOf: '{name} ({n} sur {total})', legalStatus: 'Statut juridique', team: 'Équipe du dossier', languages: 'Langues',
  opened: 'Ouvert le', planStatus: 'Plan', plan: 'Plan de réhabilitation', domain: 'Domaine', goal: 'Objectif', status: 'Statut', progress: 'Avancement', target: 'Échéance',
  sessions: 'Séances récentes', date: 'Date', kind: 'Type', discipline: 'Discipline', attendance: 'Présence', engagement: 'Engagement (1–5)',
  consent: 'Consentement et base légale', purpose: 'Finalité', basis: 'Base', given: 'Donné le', expires: 'Expire le', history: 'Historique des phases', from: 'De', to: 'Vers', reason: 'Motif', none: 'Aucun',
  'plan.draft': 'Brouillon', 'plan.submitted': 'En attente d’approbation', 'plan.approved': 'Approuvé',
  'goal.not_started': 'Non commencé', 'goal.in_progress': 'En cours', 'goal.achieved': 'Atteint', 'goal.discontinued': 'Abandonné',
  'kind.individual': 'Individuelle', 'kind.group': 'Collective', 'kind.family': 'Familiale', 'att.present': 'Présent', 'att.late': 'En retard', 'att.absent': 'Absent', 'att.excused': 'Excusé',
  'basis.consent': 'Consentement', 'basis.legal_obligation': 'Obligation légale', 'basis.court_order': 'Décision de justice', 'basis.vital_interests': 'Intérêts vitaux', 'basis.public_task': 'Mission de service public',
  'consent.given': 'Donné', 'consent.withdrawn': 'Retiré', demo: 'Données de démonstration synthétiques — pas une personne réelle',
};

const ALL: Record<PdfLocale, Record<Key, string>> = { en: EN, ar: AR, ur: UR, fr: FR };

/** A translator for the summary: `t('phaseOf', {name, n, total})`. */
export function summaryText(locale: PdfLocale): (key: Key, vars?: Record<string, string | number>) => string {
  const m = ALL[locale];
  return (key, vars = {}) => m[key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''));
}

/** Every locale's keys, for the completeness test. */
export const SUMMARY_CATALOGUES = ALL;
