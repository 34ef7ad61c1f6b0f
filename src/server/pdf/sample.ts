/** A synthetic case-summary document per locale, for tests, previews and visual checks (texts: `pdfSample.*`). */
import { under } from '../i18n/index.ts';
import type { PdfDoc, PdfLocale } from './types.ts';

/** Builds the synthetic case summary (34 session rows, so the table spans pages) in one locale. */
export function sampleCaseSummary(locale: PdfLocale, sessions = 34): PdfDoc {
  const t = under('pdfSample', locale);
  const types = [t('individual'), t('family'), t('group')];
  const rows = Array.from({ length: sessions }, (_, i) => {
    const d = new Date(Date.UTC(2024, 2, 15) + i * 9 * 86_400_000).toISOString().slice(0, 10);
    return [String(i + 1), d, types[i % 3]!, i % 2 ? 'Sara Jones' : t('manager'), t('note')];
  });
  return {
    locale,
    title: t('title'),
    subtitle: t('subtitle'),
    footer: t('footer'),
    blocks: [
      { type: 'heading', text: t('profile') },
      {
        type: 'keyValue',
        rows: [
          [t('codeLabel'), 'SN-7K3M9Q'],
          [t('phaseLabel'), t('phase')],
          [t('managerLabel'), t('manager')],
          [t('openedLabel'), t('opened')],
        ],
      },
      { type: 'heading', text: t('summary') },
      { type: 'paragraph', text: t('paragraph') },
      { type: 'spacer' },
      { type: 'heading', text: t('sessions') },
      { type: 'table', columns: ['#', t('date'), t('type'), t('facilitator'), t('notes')], rows },
    ],
  };
}
