/** Words of the case summary PDF in every UI language: the `summary.*` messages of the server catalogue. */
import { catalogue, SERVER_LOCALES, under, type KeysUnder } from '../../i18n/index.ts';
import type { PdfLocale } from '../../pdf/types.ts';

type Key = KeysUnder<'summary'>;

/** A translator for the summary: `t('phaseOf', {name, n, total})`. */
export function summaryText(locale: PdfLocale): (key: Key, vars?: Record<string, string | number>) => string {
  return under('summary', locale);
}

/** Every locale's messages (as written, placeholders unfilled), for the completeness test. */
export const SUMMARY_CATALOGUES = Object.fromEntries(
  SERVER_LOCALES.map((l) => [
    l,
    Object.fromEntries(
      Object.entries(catalogue(l))
        .filter(([k]) => k.startsWith('summary.'))
        .map(([k, v]) => [k.slice('summary.'.length), v]),
    ),
  ]),
) as Record<PdfLocale, Record<Key, string>>;
