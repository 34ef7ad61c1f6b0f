/**
 * Web catalogues (src/web/i18n/*.json) and stylesheets: every locale has every key, every message
 * parses as ICU, plurals cover the CLDR categories of their locale, placeholders match across
 * locales, and no stylesheet uses physical (left/right) properties.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { DETAIL_CODES, PARAMETRISED_DETAIL_CODES } from '../src/core/errors.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const i18nDir = join(root, 'src', 'web', 'i18n');
const LOCALES = ['en', 'ar', 'ur', 'fr'] as const;

/** Reads one catalogue: a flat object of key → ICU string. */
function load(locale: string): Record<string, string> {
  const data: unknown = JSON.parse(readFileSync(join(i18nDir, `${locale}.json`), 'utf8'));
  assert.ok(data && typeof data === 'object' && !Array.isArray(data), `${locale}.json is not an object`);
  for (const [k, v] of Object.entries(data)) assert.equal(typeof v, 'string', `${locale}.json: ${k} is not a string`);
  return data as Record<string, string>;
}

interface Finding {
  args: Set<string>;
  problems: string[];
}

/** Walks a parsed message: collects argument names and plural categories that are missing. */
export function inspectMessage(ast: MessageFormatElement[], locale: string): Finding {
  const args = new Set<string>();
  const problems: string[] = [];
  const cardinal = new Intl.PluralRules(locale, { type: 'cardinal' }).resolvedOptions().pluralCategories;
  const ordinal = new Intl.PluralRules(locale, { type: 'ordinal' }).resolvedOptions().pluralCategories;
  const walk = (els: MessageFormatElement[]) => {
    for (const el of els) {
      switch (el.type) {
        case TYPE.argument:
        case TYPE.number:
        case TYPE.date:
        case TYPE.time:
          args.add(el.value);
          break;
        case TYPE.tag:
          args.add(el.value);
          walk(el.children);
          break;
        case TYPE.select:
          args.add(el.value);
          if (!('other' in el.options)) problems.push(`select {${el.value}} lacks "other"`);
          for (const opt of Object.values(el.options)) walk(opt.value);
          break;
        case TYPE.plural: {
          args.add(el.value);
          const required = el.pluralType === 'ordinal' ? ordinal : cardinal;
          const missing = required.filter((c) => !(c in el.options));
          if (missing.length) problems.push(`${el.pluralType} {${el.value}} lacks ${missing.join(', ')}`);
          for (const opt of Object.values(el.options)) walk(opt.value);
          break;
        }
        default:
          break;
      }
    }
  };
  walk(ast);
  return { args, problems };
}

const catalogues = Object.fromEntries(LOCALES.map((l) => [l, load(l)])) as Record<
  (typeof LOCALES)[number],
  Record<string, string>
>;

test('every catalogue has every key of every other catalogue', () => {
  const all = new Set(LOCALES.flatMap((l) => Object.keys(catalogues[l])));
  const problems: string[] = [];
  for (const l of LOCALES) for (const k of all) if (!(k in catalogues[l])) problems.push(`${l}.json lacks "${k}"`);
  assert.deepEqual(problems, []);
});

test('messages parse as ICU and plurals have every category their locale needs', () => {
  const problems: string[] = [];
  for (const l of LOCALES) {
    for (const [k, msg] of Object.entries(catalogues[l])) {
      try {
        const f = inspectMessage(parse(msg, { requiresOtherClause: true }), l);
        for (const p of f.problems) problems.push(`${l}.json "${k}": ${p}`);
      } catch (e) {
        problems.push(`${l}.json "${k}": does not parse (${(e as Error).message})`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('placeholders are the same in every locale', () => {
  const problems: string[] = [];
  for (const k of Object.keys(catalogues.en)) {
    const ref = [...inspectMessage(parse(catalogues.en[k]!), 'en').args].sort().join(',');
    for (const l of LOCALES) {
      const msg = catalogues[l][k];
      if (msg === undefined) continue;
      let got: string;
      try {
        got = [...inspectMessage(parse(msg), l).args].sort().join(',');
      } catch {
        continue; // reported by the parse test
      }
      if (got !== ref) problems.push(`"${k}": en has {${ref}} but ${l} has {${got}}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('translations are not English copies', () => {
  // Short codes and brand names may coincide; a locale where most strings equal English is a copy.
  for (const l of ['ar', 'ur', 'fr'] as const) {
    const keys = Object.keys(catalogues.en);
    const same = keys.filter((k) => catalogues[l][k] === catalogues.en[k]);
    assert.ok(
      same.length / keys.length < 0.1,
      `${l}.json: ${same.length} of ${keys.length} messages identical to English`,
    );
  }
});

test('the plural checker itself catches a missing Arabic category', () => {
  const f = inspectMessage(parse('{n, plural, one {# a} other {# b}}'), 'ar');
  assert.equal(f.problems.length, 1);
  for (const c of ['zero', 'two', 'few', 'many']) assert.match(f.problems[0]!, new RegExp(`\\b${c}\\b`));
  assert.throws(() => parse('{n, plural, one {# a}'));
});

/** The error detail codes (of `codes`) that lack words (`field.<code>`) in a catalogue, as "locale: code". */
export function codesWithoutWords(codes: readonly string[], cats: Record<string, Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [l, cat] of Object.entries(cats))
    for (const code of codes) if (!cat[`field.${code}`]?.trim()) problems.push(`${l}.json lacks "field.${code}"`);
  return problems;
}

test('every error detail code the server can send has words in every language', () => {
  assert.deepEqual(codesWithoutWords(DETAIL_CODES, catalogues), []);
  // A code with a value (max:4) gets it as {n} and {value}; the words use at most those.
  for (const code of PARAMETRISED_DETAIL_CODES)
    for (const l of LOCALES) {
      const args = [...inspectMessage(parse(catalogues[l][`field.${code}`]!), l).args];
      assert.ok(
        args.length > 0 && args.every((a) => a === 'n' || a === 'value'),
        `${l}.json "field.${code}" should show its value as {n} or {value}`,
      );
    }
});

test('the detail-code checker itself catches a code without words in one language', () => {
  const cats = { en: { 'field.a': 'A', 'field.b': 'B' }, ar: { 'field.a': 'أ' } };
  assert.deepEqual(codesWithoutWords(['a', 'b'], cats), ['ar.json lacks "field.b"']);
});

/** Detail codes written as literals in server and core code: `{ path: …, code: 'x' }`, `code: \`x:${…}\``, fail('x'). */
function literalDetailCodes(): Map<string, string> {
  const found = new Map<string, string>();
  const files = [
    ...filesUnder(join(root, 'src', 'server'), ['.ts']),
    ...filesUnder(join(root, 'src', 'core'), ['.ts']),
  ];
  for (const f of files.filter((x) => !x.endsWith('.test.ts'))) {
    const text = readFileSync(f, 'utf8');
    for (const line of text.split('\n')) {
      if (!line.includes('path')) continue;
      for (const m of line.matchAll(/\bcode: '([a-z_]+)'/g)) found.set(m[1]!, relative(root, f));
      for (const m of line.matchAll(/\bcode: `([a-z_]+):\$\{/g)) found.set(m[1]!, relative(root, f));
    }
    for (const m of text.matchAll(/\bfail\('([a-z_]+)'\)/g)) found.set(m[1]!, relative(root, f));
  }
  return found;
}

test('DETAIL_CODES lists every detail code written in the server and core code', () => {
  const known = new Set<string>(DETAIL_CODES);
  const missing = [...literalDetailCodes()].filter(([c]) => !known.has(c)).map(([c, f]) => `${c} (${f})`);
  assert.deepEqual(missing, [], 'add these to DETAIL_CODES in src/core/errors.ts, with words in every catalogue');
});

/** Every file under dir (recursively) ending with one of the extensions. */
function filesUnder(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p, exts));
    else if (exts.some((e) => name.endsWith(e))) out.push(p);
  }
  return out;
}

const PHYSICAL = [
  /(?<![-\w])(margin|padding|border|scroll-margin|scroll-padding)-(left|right)(-[a-z]+)?\s*:/,
  /(?<![-\w])border-(top|bottom)-(left|right)-radius\s*:/,
  /(?<![-\w])(left|right)\s*:/,
  /(?<![-\w])text-align\s*:\s*(left|right)\b/,
  /(?<![-\w])float\s*:\s*(left|right)\b/,
  /(?<![-\w])clear\s*:\s*(left|right)\b/,
  /(?<![-\w])resize\s*:\s*(horizontal|vertical)\b/,
];

/** Physical-direction declarations in a stylesheet, as "line: text". */
export function physicalDeclarations(css: string): string[] {
  const noComments = css.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
  const hits: string[] = [];
  noComments.split('\n').forEach((line, i) => {
    if (PHYSICAL.some((re) => re.test(line))) hits.push(`${i + 1}: ${line.trim()}`);
  });
  return hits;
}

test('stylesheets under src/web use logical properties only', () => {
  const files = filesUnder(join(root, 'src', 'web'), ['.css']);
  assert.ok(files.length > 0, 'no stylesheet found');
  const problems: string[] = [];
  for (const f of files)
    for (const h of physicalDeclarations(readFileSync(f, 'utf8'))) problems.push(`${relative(root, f)}:${h}`);
  assert.deepEqual(problems, []);
});

test('the physical-property checker catches left/right', () => {
  assert.equal(physicalDeclarations('a { margin-left: 1px }').length, 1);
  assert.equal(physicalDeclarations('a { padding-right: 1px }').length, 1);
  assert.equal(physicalDeclarations('a {\n  left: 0;\n}').length, 1);
  assert.equal(physicalDeclarations('a { text-align: right }').length, 1);
  assert.equal(physicalDeclarations('a { float: left }').length, 1);
  assert.equal(physicalDeclarations('a { border-left: 1px solid }').length, 1);
  assert.equal(physicalDeclarations('a { border-top-left-radius: 2px }').length, 1);
  assert.equal(
    physicalDeclarations('a { margin-inline-start: 1px; inset-inline-end: 0; text-align: start }').length,
    0,
  );
  assert.equal(physicalDeclarations('/* left: 0 */ a { color: red }').length, 0);
});
