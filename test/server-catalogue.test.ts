/**
 * The server's catalogue (src/server/i18n/*.json): every locale has every key, every message parses as
 * ICU, the placeholders agree across locales, Arabic and Urdu are written in Arabic script, and no
 * server source outside the catalogue carries Arabic-script text (a translation that escaped it).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import { message, readCatalogue, SERVER_LOCALES, under, words } from '../src/server/i18n/index.ts';
import { summaryText } from '../src/server/modules/casework/summary-text.ts';
import { sampleCaseSummary } from '../src/server/pdf/sample.ts';

const root = path.resolve(import.meta.dirname, '..');
const catalogues = Object.fromEntries(SERVER_LOCALES.map((l) => [l, readCatalogue(l)])) as Record<
  (typeof SERVER_LOCALES)[number],
  Record<string, string>
>;

/** The argument names of a parsed message, and the problems of its plurals and selects. */
function inspect(ast: MessageFormatElement[], locale: string): { args: Set<string>; problems: string[] } {
  const args = new Set<string>();
  const problems: string[] = [];
  const cardinal = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
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
          for (const opt of Object.values(el.options)) walk(opt.value);
          break;
        case TYPE.plural: {
          args.add(el.value);
          const missing = (el.pluralType === 'ordinal' ? ordinal : cardinal).filter((c) => !(c in el.options));
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

test('every server catalogue has every key of every other one, and only strings', () => {
  const all = new Set(SERVER_LOCALES.flatMap((l) => Object.keys(catalogues[l])));
  assert.ok(all.size > 100, 'the catalogue looks empty');
  const problems: string[] = [];
  for (const l of SERVER_LOCALES) {
    for (const k of all) if (!(k in catalogues[l])) problems.push(`${l}.json lacks "${k}"`);
    for (const [k, v] of Object.entries(catalogues[l]))
      if (typeof v !== 'string' || v.trim() === '') problems.push(`${l}.json "${k}" is not a text`);
  }
  assert.deepEqual(problems, []);
});

test('every server message parses as ICU, with the plural categories its locale needs', () => {
  const problems: string[] = [];
  for (const l of SERVER_LOCALES)
    for (const [k, msg] of Object.entries(catalogues[l])) {
      try {
        for (const p of inspect(parse(msg, { requiresOtherClause: true }), l).problems)
          problems.push(`${l}.json "${k}": ${p}`);
      } catch (e) {
        problems.push(`${l}.json "${k}": does not parse (${(e as Error).message})`);
      }
    }
  assert.deepEqual(problems, []);
});

test('placeholders are the same in every locale', () => {
  const problems: string[] = [];
  for (const k of Object.keys(catalogues.en)) {
    const ref = [...inspect(parse(catalogues.en[k]!), 'en').args].sort().join(',');
    for (const l of SERVER_LOCALES) {
      const msg = catalogues[l][k];
      if (msg === undefined) continue; // reported by the key test
      let got: string;
      try {
        got = [...inspect(parse(msg), l).args].sort().join(',');
      } catch {
        continue; // reported by the parse test
      }
      if (got !== ref) problems.push(`"${k}": en has {${ref}} but ${l} has {${got}}`);
    }
  }
  assert.deepEqual(problems, []);
});

test('Arabic and Urdu messages are written in Arabic script', () => {
  const problems: string[] = [];
  for (const l of ['ar', 'ur'] as const)
    for (const [k, msg] of Object.entries(catalogues[l])) {
      const text = msg.replace(/\{\w+\}/g, '');
      // Latin words alone (an English copy) are a missing translation; names and codes may sit beside Arabic.
      if (/[A-Za-z]{2,}/.test(text) && !/\p{Script=Arabic}/u.test(text)) problems.push(`${l}.json "${k}": ${msg}`);
    }
  assert.deepEqual(problems, []);
});

test('messages are formatted with their values; numbers as written, missing values empty', () => {
  assert.equal(message('en', 'academyPage.of', { n: 3, m: 12 }), 'Lesson 3 of 12');
  // Latin digits and no grouping in every locale (PDFs and pages read the same whatever the number system).
  assert.equal(message('ar', 'academyPage.of', { n: 3, m: 1200 }), 'الدرس 3 من 1200');
  assert.equal(
    message('fr', 'certificate.scan', { url: 'https://x.example/verify/A' }).includes('https://x.example/verify/A'),
    true,
  );
  assert.equal(message('en', 'summary.generated', { date: '2025-01-31' }), 'Generated 2025-01-31 by ');
  assert.equal(under('summary', 'ur')('title'), catalogues.ur['summary.title']);
  assert.equal(summaryText('fr')('phaseOf', { name: 'Réinsertion', n: 2, total: 4 }), 'Réinsertion (2 sur 4)');
  assert.equal(words('assessmentPdf').ar.draft, catalogues.ar['assessmentPdf.draft']);
  assert.equal(sampleCaseSummary('ar').title, catalogues.ar['pdfSample.title']);
});

/** Every .ts file under a directory. */
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : [];
  });
}

/** Synthetic data, not texts to translate: the demo's Arabic given names. */
const ARABIC_ALLOWED = new Set(['src/server/demo/casework.ts']);

/** The string and template literals of a source that hold Arabic script, as "line: text". */
function arabicLiterals(file: string): string[] {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const visit = (n: ts.Node) => {
    if (
      (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n) || ts.isTemplateLiteralToken(n)) &&
      /\p{Script=Arabic}/u.test(n.text)
    )
      found.push(`${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.text.slice(0, 40)}`);
    n.forEachChild(visit);
  };
  visit(sf);
  return found;
}

test('no server or CLI source outside the catalogue holds Arabic-script text', () => {
  const problems: string[] = [];
  for (const file of [...sources(path.join(root, 'src', 'server')), ...sources(path.join(root, 'src', 'cli'))]) {
    const rel = path.relative(root, file).split(path.sep).join('/');
    if (ARABIC_ALLOWED.has(rel)) continue;
    for (const hit of arabicLiterals(file)) problems.push(`${rel}:${hit}`);
  }
  assert.deepEqual(problems, []);
});

test('the literal scan finds Arabic in strings and templates, not in comments', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-catalogue-'));
  try {
    const file = path.join(dir, 'x.ts');
    fs.writeFileSync(file, "// تعليق\nconst a = 'نص';\nconst b = `x ${a} سطر`;\n");
    assert.deepEqual(
      arabicLiterals(file).map((h) => h.split(':')[0]),
      ['2', '3'],
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
