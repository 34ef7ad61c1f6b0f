/**
 * The server's catalogue: every text the server renders itself — certificate and transcript PDFs,
 * the academy's server-rendered pages, the case summary and assessment report PDFs, the sample PDF —
 * in the four UI languages, one flat JSON file per locale (`<locale>.json`, key → ICU message),
 * formatted with FormatJS (`intl-messageformat`). `test/server-catalogue.test.ts` checks that every
 * key is in every language, every message parses and the placeholders agree.
 *
 * Values are inserted as text: a number is written as the server always wrote it (`String(n)`, Latin
 * digits, no grouping), so a PDF or page reads the same whatever the locale's number system. A
 * placeholder without a value is left empty.
 */
import fs from 'node:fs';
import path from 'node:path';
import { IntlMessageFormat } from 'intl-messageformat';
import type en from './en.json';

/** The languages of the catalogue (the UI languages). */
export const SERVER_LOCALES = ['en', 'ar', 'ur', 'fr'] as const;
export type ServerLocale = (typeof SERVER_LOCALES)[number];
/** Every key of the catalogue (the English file is the reference). */
export type MessageKey = keyof typeof en;
/** The keys under a prefix, without it: `KeysUnder<'summary'>` holds `'title'` for `summary.title`. */
export type KeysUnder<P extends string> = {
  [K in MessageKey]: K extends `${P}.${infer R}` ? R : never;
}[MessageKey];
/** Placeholder values of a message. */
export type MessageValues = Record<string, string | number>;

/** The directory of the JSON files. */
export const CATALOGUE_DIR = import.meta.dirname;

/** Reads one locale's file: a flat object of key → ICU message. */
export function readCatalogue(locale: ServerLocale): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(CATALOGUE_DIR, `${locale}.json`), 'utf8')) as Record<string, string>;
}

let loaded: Record<ServerLocale, Record<string, string>> | undefined;

/** The raw messages of a locale (read once). */
export function catalogue(locale: ServerLocale): Readonly<Record<MessageKey, string>> {
  loaded ??= Object.fromEntries(SERVER_LOCALES.map((l) => [l, readCatalogue(l)])) as Record<
    ServerLocale,
    Record<string, string>
  >;
  return loaded[locale] as Record<MessageKey, string>;
}

// Element types of the FormatJS message AST that name an argument (argument, number, date, time,
// select, plural, tag), and those that nest further elements.
const ARG_TYPES = new Set([1, 2, 3, 4, 5, 6, 8]);
type Element = { type: number; value?: unknown; options?: Record<string, { value: Element[] }>; children?: Element[] };

/** The argument names a parsed message uses. */
function argumentsOf(ast: Element[], into = new Set<string>()): Set<string> {
  for (const el of ast) {
    if (ARG_TYPES.has(el.type) && typeof el.value === 'string') into.add(el.value);
    for (const opt of Object.values(el.options ?? {})) argumentsOf(opt.value, into);
    if (el.children) argumentsOf(el.children, into);
  }
  return into;
}

const compiled = new Map<string, { format: IntlMessageFormat; args: string[] }>();

/** One message of the catalogue in a locale, with its placeholders filled. */
export function message(locale: ServerLocale, key: MessageKey, values: MessageValues = {}): string {
  const id = `${locale}\u0000${key}`;
  let m = compiled.get(id);
  if (!m) {
    const text = catalogue(locale)[key];
    if (text === undefined) throw new Error(`the server catalogue has no message ${key} in ${locale}`);
    const format = new IntlMessageFormat(text, locale);
    m = { format, args: [...argumentsOf(format.getAst())] };
    compiled.set(id, m);
  }
  const filled: Record<string, string> = {};
  for (const a of m.args) filled[a] = a in values ? String(values[a]) : '';
  return String(m.format.format(filled));
}

/** A translator for one locale: `t('certificate.title')`. */
export function translator(locale: ServerLocale): (key: MessageKey, values?: MessageValues) => string {
  return (key, values) => message(locale, key, values);
}

/** A translator for the keys under one prefix: `under('summary', 'ar')('title')`. */
export function under<P extends string>(
  prefix: P,
  locale: ServerLocale,
): (key: KeysUnder<P>, values?: MessageValues) => string {
  return (key, values) => message(locale, `${prefix}.${key}` as MessageKey, values);
}

/**
 * Every message under a prefix, formatted without values, for each locale: a table of words for
 * code that looks texts up by name (`words('assessmentPdf').ar.draft`).
 */
export function words<P extends string>(prefix: P): Record<ServerLocale, Record<KeysUnder<P>, string>> {
  const out = {} as Record<ServerLocale, Record<KeysUnder<P>, string>>;
  for (const locale of SERVER_LOCALES) {
    const table = {} as Record<KeysUnder<P>, string>;
    for (const key of Object.keys(catalogue('en')))
      if (key.startsWith(`${prefix}.`))
        table[key.slice(prefix.length + 1) as KeysUnder<P>] = message(locale, key as MessageKey);
    out[locale] = table;
  }
  return out;
}
