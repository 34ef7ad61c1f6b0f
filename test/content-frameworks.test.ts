/**
 * Shipped content: the model-framework templates (content/frameworks/*.json) parse as
 * `ProgramDefinition`, there is exactly one per framework, and every label (framework, phase, domain,
 * legal status, consent purpose) is really translated into every UI language.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CONSENT_PURPOSES,
  DOMAINS,
  FRAMEWORKS,
  LEGAL_STATUSES,
  LOCALES,
  Label,
  ProgramDefinition,
} from '../src/core/program.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const contentDir = join(root, 'content');
const frameworksDir = join(contentDir, 'frameworks');

/** Arabic script (base block, supplement, extended-A, presentation forms A and B). */
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Problems with one label: missing or empty locales, untranslated copies of English, wrong script. */
export function labelProblems(where: string, value: unknown): string[] {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return [`${where}: not a label object`];
  const l = value as Record<string, unknown>;
  const out: string[] = [];
  for (const loc of LOCALES) {
    if (typeof l[loc] !== 'string' || l[loc].trim() === '') out.push(`${where}.${loc}: missing or empty`);
  }
  if (out.length) return out;
  const parsed = Label.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((i) => `${where}.${i.path.join('.')}: ${i.message}`);
  const en = l.en as string;
  for (const loc of ['ar', 'ur', 'fr'] as const) {
    if ((l[loc] as string).trim() === en.trim()) out.push(`${where}.${loc}: same as English (not translated)`);
  }
  for (const loc of ['ar', 'ur'] as const) {
    if (!ARABIC_SCRIPT.test(l[loc] as string)) out.push(`${where}.${loc}: no Arabic-script characters`);
  }
  return out;
}

function frameworkFiles(): string[] {
  return readdirSync(frameworksDir).sort();
}

test('there is exactly one template file per framework, named after it', () => {
  const files = frameworkFiles();
  assert.deepEqual(
    files,
    [...FRAMEWORKS].map((f) => `${f}.json`).sort(),
    `content/frameworks holds ${files.join(', ')}`,
  );
});

for (const file of frameworkFiles()) {
  test(`content/frameworks/${file} is a valid ProgramDefinition`, () => {
    const raw = readJson(join(frameworksDir, file));
    const r = ProgramDefinition.safeParse(raw);
    const issues = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    assert.deepEqual(issues, [], `${file} does not parse:\n  ${issues.join('\n  ')}`);
    assert.ok(r.success);
    assert.equal(`${r.data.framework}.json`, file, `${file} declares framework "${r.data.framework}"`);
  });

  test(`content/frameworks/${file}: every label is translated`, () => {
    const raw = readJson(join(frameworksDir, file)) as {
      name?: unknown;
      summary?: unknown;
      phases?: { key?: unknown; name?: unknown }[];
    };
    const problems = [...labelProblems('name', raw.name), ...labelProblems('summary', raw.summary)];
    assert.ok(Array.isArray(raw.phases), `${file}: phases is not an array`);
    raw.phases.forEach((ph, i) => problems.push(...labelProblems(`phases[${i}:${String(ph.key)}].name`, ph.name)));
    assert.deepEqual(problems, [], `${file}:\n  ${problems.join('\n  ')}`);
  });
}

const dictionaries = [
  { file: 'domains.json', keys: DOMAINS },
  { file: 'legal-statuses.json', keys: LEGAL_STATUSES },
  { file: 'consent-purposes.json', keys: CONSENT_PURPOSES },
] as const;

for (const { file, keys } of dictionaries) {
  test(`content/${file} labels exactly the known keys, in every language`, () => {
    const raw = readJson(join(contentDir, file));
    assert.ok(raw && typeof raw === 'object' && !Array.isArray(raw), `${file} is not an object`);
    const entries = raw as Record<string, unknown>;
    assert.deepEqual(Object.keys(entries).sort(), [...keys].sort(), `${file} keys differ from the schema's list`);
    const problems = Object.entries(entries).flatMap(([k, v]) => labelProblems(k, v));
    assert.deepEqual(problems, [], `${file}:\n  ${problems.join('\n  ')}`);
  });
}

test('the label check itself rejects untranslated, empty and wrong-script labels', () => {
  const good = { en: 'Closure', ar: 'إغلاق الملف', ur: 'کیس کا اختتام', fr: 'Clôture' };
  assert.deepEqual(labelProblems('x', good), []);
  assert.match(labelProblems('x', { ...good, fr: 'Closure' }).join(), /x\.fr: same as English/);
  assert.match(labelProblems('x', { ...good, ar: ' ' }).join(), /x\.ar: missing or empty/);
  assert.match(labelProblems('x', { ...good, ur: 'Kes ka ikhtitam' }).join(), /x\.ur: no Arabic-script/);
  assert.match(labelProblems('x', { en: 'a', ar: 'ب', fr: 'c' }).join(), /x\.ur: missing/);
  assert.match(
    labelProblems('x', { ...good, de: 'Abschluss' }).join(),
    /x\./,
    'extra locales are rejected by the strict Label schema',
  );
  assert.match(labelProblems('x', { ...good, fr: 'é'.repeat(201) }).join(), /x\.fr/, 'over 200 characters');
});
