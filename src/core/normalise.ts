/**
 * Normalisation of identity values before blind indexing, so that spelling variants a clerk
 * produces (case, diacritics, Arabic letter variants, word order) still match.
 */

const ARABIC_MARKS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0640]/g; // tashkeel, Quranic marks, tatweel
const ARABIC_LETTERS: Record<string, string> = {
  أ: 'ا',
  إ: 'ا',
  آ: 'ا',
  ٱ: 'ا',
  ٲ: 'ا',
  ٳ: 'ا',
  ة: 'ه',
  ۃ: 'ه',
  ہ: 'ه',
  ھ: 'ه',
  ۀ: 'ه',
  ى: 'ي',
  ی: 'ي',
  ې: 'ي',
  ۍ: 'ي',
  ئ: 'ي',
  ے: 'ي',
  ؤ: 'و',
  ك: 'ك',
  ک: 'ك',
  گ: 'ك',
  '٠': '0',
  '١': '1',
  '٢': '2',
  '٣': '3',
  '٤': '4',
  '٥': '5',
  '٦': '6',
  '٧': '7',
  '٨': '8',
  '٩': '9',
  '۰': '0',
  '۱': '1',
  '۲': '2',
  '۳': '3',
  '۴': '4',
  '۵': '5',
  '۶': '6',
  '۷': '7',
  '۸': '8',
  '۹': '9',
};
const LETTER_RE = new RegExp(`[${Object.keys(ARABIC_LETTERS).join('')}]`, 'g');

/** Lower-cases, strips diacritics and Arabic-script variants, keeps letters, digits and single spaces. */
export function normaliseText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(ARABIC_MARKS, '')
    .replace(LETTER_RE, (c) => ARABIC_LETTERS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{Mn}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Name tokens of two or more characters, sorted so word order does not matter. */
export function nameTokens(...parts: (string | undefined | null)[]): string[] {
  const tokens = parts.flatMap((p) => (p ? normaliseText(p).split(' ') : [])).filter((t) => [...t].length >= 2);
  return [...new Set(tokens)].sort();
}

/** An identity document number without spaces, dashes or case differences. */
export function normaliseIdNumber(s: string): string {
  return normaliseText(s).replace(/\s+/g, '').toUpperCase();
}

/** The identity fields used to find likely duplicates. */
export interface IdentityKeys {
  givenName?: string | null;
  familyName?: string | null;
  dateOfBirth?: string | null;
  nationalId?: string | null;
}

/** The normalised values to blind-index for an identity: kind → values. */
export function indexValues(id: IdentityKeys): { kind: 'name' | 'name_token' | 'dob' | 'id_number'; value: string }[] {
  const out: { kind: 'name' | 'name_token' | 'dob' | 'id_number'; value: string }[] = [];
  const tokens = nameTokens(id.givenName, id.familyName);
  if (tokens.length > 0) out.push({ kind: 'name', value: tokens.join(' ') });
  for (const t of tokens) out.push({ kind: 'name_token', value: t });
  if (id.dateOfBirth) out.push({ kind: 'dob', value: id.dateOfBirth });
  if (id.nationalId && normaliseIdNumber(id.nationalId))
    out.push({ kind: 'id_number', value: normaliseIdNumber(id.nationalId) });
  return out;
}
