/** Public document model of the PDF engine: a locale, a title and a flat list of blocks. */

export type PdfLocale = 'en' | 'ar' | 'ur' | 'fr';

export type Block =
  | { type: 'heading'; text: string }
  | { type: 'paragraph'; text: string }
  | { type: 'keyValue'; rows: [label: string, value: string][] }
  | { type: 'table'; columns: string[]; rows: string[][] }
  | { type: 'spacer' }
  /** A QR code (e.g. a verification address), centred, with an optional caption under it. */
  | { type: 'qr'; data: string; caption?: string };

export interface PdfDoc {
  locale: PdfLocale;
  title: string;
  subtitle?: string;
  /** Small text on every page, e.g. "Generated 2025-01-31 — confidential" (already localised by the caller). */
  footer?: string;
  blocks: Block[];
}

/** Whether a locale is laid out right-to-left. */
export function isRtlLocale(locale: PdfLocale): boolean {
  return locale === 'ar' || locale === 'ur';
}
