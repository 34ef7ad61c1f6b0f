/**
 * Shipped content: Sanad's own illustrative instruments (content/instruments/sanad-needs-guide.json and
 * sanad-spj-template.json). Both parse as `InstrumentDefinition`, carry the "not validated" notice, are
 * fully translated (every label, item wording and guidance in en, ar, ur and fr), use unique item codes,
 * never mention the licensed instruments (whose wording Sanad must not ship) and never offer anything that
 * looks like a score. The needs guide covers exactly the plan domains; the SPJ template has the agreed
 * domains, kinds, tags and judgement scales, and every risk item asks for evidence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InstrumentDefinition } from '../src/core/instrument.ts';
import { DOMAINS, LOCALES, Label } from '../src/core/program.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const instrumentsDir = join(root, 'content', 'instruments');

const NEEDS = 'sanad-needs-guide.json';
const SPJ = 'sanad-spj-template.json';
const FILES = [NEEDS, SPJ] as const;

const NOTICE_EN = 'Illustrative instrument written for Sanad — not validated; do not use for decisions';

/** Arabic script (base block, supplement, extended-A, presentation forms A and B). */
const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;

/** Names of licensed instruments whose wording Sanad must never ship (nor name in its own items). */
const LICENSED_NAMES = /\b(?:VERA(?:-?2R?)?|ERG(?:\s?22\+?|-R)?|TRAP(?:-?18)?|MLG)(?![\w])|multi-?level\s+guidelines/i;

/** Option values or labels that would make a rating look like a score. */
const SCORE_LIKE_VALUE = /score|point|total|sum|\d/i;
const SCORE_LIKE_LABEL = /\bscores?\b|\bpoints?\b|\btotal\b|\bsum\b|^\s*[+-]?\d+(?:[.,]\d+)?\s*$/i;

/** Named religions (en/fr): items must describe behaviour, never equate a faith with violence. */
const NAMED_RELIGION =
  /\b(?:islam\w*|muslims?|musulman\w*|christian\w*|chrétien\w*|jews?|jewish|juifs?|juives?|judaism|judaïsme|hindu\w*|hindou\w*|sikh\w*|buddhis\w*|bouddhis\w*|jihad\w*|crusade\w*|croisade\w*)\b/i;

type Json = unknown;
type Obj = Record<string, unknown>;

function readInstrument(file: string): Obj {
  const raw = JSON.parse(readFileSync(join(instrumentsDir, file), 'utf8')) as unknown;
  assert.ok(raw && typeof raw === 'object' && !Array.isArray(raw), `${file} is not a JSON object`);
  return raw as Obj;
}

const isObj = (v: unknown): v is Obj => !!v && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Problems with one label: missing or empty locales, untranslated copies of English, wrong script. */
export function labelProblems(where: string, value: unknown): string[] {
  if (!isObj(value)) return [`${where}: not a label object`];
  const out: string[] = [];
  for (const loc of LOCALES) {
    if (typeof value[loc] !== 'string' || value[loc].trim() === '') out.push(`${where}.${loc}: missing or empty`);
  }
  if (out.length) return out;
  const parsed = Label.safeParse(value);
  if (!parsed.success) return parsed.error.issues.map((i) => `${where}.${i.path.join('.')}: ${i.message}`);
  return translationProblems(where, value as Record<string, string>);
}

/** Problems with one free text (wording, guidance, description): like a label, but up to 2000 characters. */
export function textProblems(where: string, value: unknown): string[] {
  if (!isObj(value)) return [`${where}: missing (needs en, ar, ur and fr)`];
  const out: string[] = [];
  for (const key of Object.keys(value))
    if (!(LOCALES as readonly string[]).includes(key)) out.push(`${where}.${key}: unknown locale`);
  for (const loc of LOCALES) {
    const v = value[loc];
    if (typeof v !== 'string' || v.trim() === '') out.push(`${where}.${loc}: missing or empty`);
    else if (v.length > 2000) out.push(`${where}.${loc}: longer than 2000 characters`);
  }
  if (out.length) return out;
  return translationProblems(where, value as Record<string, string>);
}

function translationProblems(where: string, l: Record<string, string>): string[] {
  const out: string[] = [];
  for (const loc of ['ar', 'ur', 'fr'] as const) {
    if (l[loc]!.trim() === l.en!.trim()) out.push(`${where}.${loc}: same as English (not translated)`);
  }
  for (const loc of ['ar', 'ur'] as const) {
    if (!ARABIC_SCRIPT.test(l[loc]!)) out.push(`${where}.${loc}: no Arabic-script characters`);
  }
  return out;
}

interface ItemAt {
  where: string;
  item: Obj;
}

/** Every item, walking subdomains, with a readable path such as domains[2:legal].items[0:leg_documents]. */
function itemsOf(doc: Obj): ItemAt[] {
  const out: ItemAt[] = [];
  const walk = (doms: unknown[], path: string) =>
    doms.forEach((d, i) => {
      if (!isObj(d)) return;
      const dp = `${path}[${i}:${String(d.key)}]`;
      arr(d.items).forEach((it, j) => {
        if (isObj(it)) out.push({ where: `${dp}.items[${j}:${String(it.code)}]`, item: it });
      });
      walk(arr(d.subdomains), `${dp}.subdomains`);
    });
  walk(arr(doc.domains), 'domains');
  return out;
}

/** Every rating and judgement scale, with its path. */
function scalesOf(doc: Obj): { where: string; scale: Obj }[] {
  return [
    ...arr(doc.scales).map((s, i) => ({ where: `scales[${i}:${String((s as Obj)?.key)}]`, scale: s as Obj })),
    ...arr(doc.judgements).map((s, i) => ({ where: `judgements[${i}:${String((s as Obj)?.key)}]`, scale: s as Obj })),
  ].filter((s) => isObj(s.scale));
}

/** Every Label in an instrument file, with its path. */
function labelsOf(doc: Obj): [string, unknown][] {
  const out: [string, unknown][] = [
    ['title', doc.title],
    ['summary', doc.summary],
    ['notice', doc.notice],
  ];
  for (const { where, scale } of scalesOf(doc)) {
    out.push([`${where}.label`, scale.label]);
    arr(scale.options).forEach((o, j) =>
      out.push([`${where}.options[${j}:${String((o as Obj)?.value)}].label`, (o as Obj)?.label]),
    );
  }
  const walk = (doms: unknown[], path: string) =>
    doms.forEach((d, i) => {
      if (!isObj(d)) return;
      const dp = `${path}[${i}:${String(d.key)}]`;
      out.push([`${dp}.title`, d.title]);
      walk(arr(d.subdomains), `${dp}.subdomains`);
    });
  walk(arr(doc.domains), 'domains');
  for (const { where, item } of itemsOf(doc)) out.push([`${where}.title`, item.title]);
  return out;
}

/** Every string anywhere in the file, with its path. */
function stringsOf(value: Json, path = ''): [string, string][] {
  if (typeof value === 'string') return [[path || '(root)', value]];
  if (Array.isArray(value)) return value.flatMap((v, i) => stringsOf(v, `${path}[${i}]`));
  if (isObj(value)) return Object.entries(value).flatMap(([k, v]) => stringsOf(v, path ? `${path}.${k}` : k));
  return [];
}

function optionValues(doc: Obj, key: string, where: 'scales' | 'judgements'): string[] {
  const s = arr(doc[where]).find((x) => isObj(x) && x.key === key) as Obj | undefined;
  return arr(s?.options).map((o) => String((o as Obj).value));
}

const show = (problems: string[]) => `\n  ${problems.join('\n  ')}`;

for (const file of FILES) {
  test(`content/instruments/${file} is a valid InstrumentDefinition`, () => {
    const r = InstrumentDefinition.safeParse(readInstrument(file));
    const issues = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    assert.deepEqual(issues, [], `${file} does not parse:${show(issues)}`);
    assert.equal(`${r.data!.key}.json`, file, `${file} declares key "${r.data!.key}"`);
    assert.equal(r.data!.version, '1.0');
  });

  test(`content/instruments/${file}: every label is translated into en, ar, ur and fr`, () => {
    const doc = readInstrument(file);
    const problems = labelsOf(doc).flatMap(([where, v]) => labelProblems(where, v));
    assert.deepEqual(problems, [], `${file}:${show(problems)}`);
  });

  test(`content/instruments/${file}: every item has wording and guidance in en, ar, ur and fr`, () => {
    const doc = readInstrument(file);
    const items = itemsOf(doc);
    assert.ok(items.length > 0, `${file} has no items`);
    const problems = items.flatMap(({ where, item }) => [
      ...textProblems(`${where}.wording`, item.wording),
      ...textProblems(`${where}.guidance`, item.guidance),
    ]);
    for (const { where, scale } of scalesOf(doc)) {
      arr(scale.options).forEach((o, j) => {
        if (isObj(o) && o.description !== undefined)
          problems.push(...textProblems(`${where}.options[${j}:${String(o.value)}].description`, o.description));
      });
    }
    assert.deepEqual(problems, [], `${file}:${show(problems)}`);
  });

  test(`content/instruments/${file} carries the "not validated" notice`, () => {
    const doc = readInstrument(file);
    assert.deepEqual(labelProblems('notice', doc.notice), [], `${file}: notice is missing or not translated`);
    const n = doc.notice as Record<string, string>;
    assert.equal(n.en, NOTICE_EN, `${file}: notice.en must read "${NOTICE_EN}"`);
    assert.match(n.fr!, /non validé/i, `${file}: notice.fr must say "non validé"`);
  });

  test(`content/instruments/${file}: item codes are unique`, () => {
    const seen = new Map<string, string>();
    const dupes: string[] = [];
    for (const { where, item } of itemsOf(readInstrument(file))) {
      const code = String(item.code);
      if (seen.has(code)) dupes.push(`${where}: code "${code}" already used at ${seen.get(code)}`);
      else seen.set(code, where);
    }
    assert.deepEqual(dupes, [], `${file}:${show(dupes)}`);
  });

  test(`content/instruments/${file} never names a licensed instrument`, () => {
    const hits = stringsOf(readInstrument(file))
      .filter(([, s]) => LICENSED_NAMES.test(s))
      .map(([where, s]) => `${where}: "${s.match(LICENSED_NAMES)![0]}"`);
    assert.deepEqual(hits, [], `${file} mentions licensed instruments:${show(hits)}`);
  });

  test(`content/instruments/${file}: no scale or judgement option looks like a score`, () => {
    const problems: string[] = [];
    for (const { where, scale } of scalesOf(readInstrument(file))) {
      if (SCORE_LIKE_VALUE.test(String(scale.key)))
        problems.push(`${where}.key: "${String(scale.key)}" looks like a score`);
      arr(scale.options).forEach((o, j) => {
        if (!isObj(o)) return;
        const at = `${where}.options[${j}]`;
        if (SCORE_LIKE_VALUE.test(String(o.value)))
          problems.push(`${at}.value: "${String(o.value)}" looks like a score, points or a number`);
        for (const loc of ['en', 'fr'] as const) {
          const label = (o.label as Record<string, string> | undefined)?.[loc] ?? '';
          if (SCORE_LIKE_LABEL.test(label)) problems.push(`${at}.label.${loc}: "${label}" looks like a score`);
        }
      });
    }
    assert.deepEqual(problems, [], `${file}:${show(problems)}`);
  });

  test(`content/instruments/${file}: items name no religion (behaviour, not faith)`, () => {
    const hits: string[] = [];
    for (const { where, item } of itemsOf(readInstrument(file))) {
      for (const field of ['title', 'wording', 'guidance'] as const) {
        for (const loc of ['en', 'fr'] as const) {
          const s = (item[field] as Record<string, string> | undefined)?.[loc] ?? '';
          const m = s.match(NAMED_RELIGION);
          if (m) hits.push(`${where}.${field}.${loc}: "${m[0]}"`);
        }
      }
    }
    assert.deepEqual(hits, [], `${file}:${show(hits)}`);
  });
}

test('item codes are unique across both instruments', () => {
  const seen = new Map<string, string>();
  const dupes: string[] = [];
  for (const file of FILES) {
    for (const { where, item } of itemsOf(readInstrument(file))) {
      const code = String(item.code);
      const at = `${file} ${where}`;
      if (seen.has(code)) dupes.push(`${at}: code "${code}" already used in ${seen.get(code)}`);
      else seen.set(code, at);
    }
  }
  assert.deepEqual(dupes, [], show(dupes));
});

test('the needs guide covers exactly the plan domains, with needs and strengths only', () => {
  const doc = readInstrument(NEEDS);
  const keys = arr(doc.domains).map((d) => String((d as Obj).key));
  assert.deepEqual([...keys].sort(), [...DOMAINS].sort(), `${NEEDS} domain keys differ from the plan DOMAINS`);
  assert.equal(doc.certification, null, 'the needs guide needs no certification');
  assert.equal(doc.reassessEveryDays, 90);
  const problems: string[] = [];
  arr(doc.domains).forEach((d, i) => {
    const dom = d as Obj;
    const n = arr(dom.items).length;
    if (n < 3 || n > 5) problems.push(`domains[${i}:${String(dom.key)}]: ${n} items (expected 3–5)`);
    if (arr(dom.subdomains).length) problems.push(`domains[${i}:${String(dom.key)}]: has subdomains (expected none)`);
  });
  for (const { where, item } of itemsOf(doc)) {
    if (item.kind !== 'need' && item.kind !== 'protective')
      problems.push(`${where}.kind: "${String(item.kind)}" (expected need or protective)`);
  }
  assert.deepEqual(problems, [], `${NEEDS}:${show(problems)}`);
  assert.deepEqual(optionValues(doc, 'presence', 'scales'), [
    'absent',
    'partly',
    'present',
    'omitted_insufficient_information',
  ]);
  assert.deepEqual(optionValues(doc, 'relevance', 'scales'), ['low', 'moderate', 'high']);
  assert.deepEqual(
    arr(doc.judgements).map((j) => (j as Obj).key),
    ['priority'],
    'the only judgement is the planning priority',
  );
  assert.deepEqual(optionValues(doc, 'priority', 'judgements'), ['low', 'medium', 'high']);
});

test('the SPJ template has the agreed domains, kinds, tags, judgements and evidence rules', () => {
  const doc = readInstrument(SPJ);
  assert.equal(doc.certification, 'sanad-spj-template', 'the SPJ template is licence-gated by its own certification');
  assert.deepEqual(
    arr(doc.domains).map((d) => (d as Obj).key),
    [
      'beliefs_and_attitudes',
      'context_and_intentions',
      'history_and_capability',
      'commitment_and_motivation',
      'protective_and_risk_reducing',
    ],
  );
  const problems: string[] = [];
  arr(doc.domains).forEach((d, i) => {
    const dom = d as Obj;
    const n = arr(dom.items).length;
    if (n < 3 || n > 5) problems.push(`domains[${i}:${String(dom.key)}]: ${n} items (expected 3–5)`);
  });
  const kinds = new Set<string>();
  for (const { where, item } of itemsOf(doc)) {
    const kind = String(item.kind);
    kinds.add(kind);
    if (!['risk', 'protective', 'motivation'].includes(kind))
      problems.push(`${where}.kind: "${kind}" (expected risk, protective or motivation)`);
    const tags = arr(item.tags).map(String);
    for (const t of tags) if (t !== 'proximal' && t !== 'distal') problems.push(`${where}.tags: unexpected tag "${t}"`);
    if (tags.includes('proximal') && tags.includes('distal')) problems.push(`${where}.tags: both proximal and distal`);
    if (kind === 'risk') {
      if (item.evidenceRequired !== true) problems.push(`${where}.evidenceRequired: must be true for a risk item`);
      if (!tags.includes('proximal') && !tags.includes('distal'))
        problems.push(`${where}.tags: a risk item is tagged proximal or distal`);
    }
  }
  assert.deepEqual(problems, [], `${SPJ}:${show(problems)}`);
  assert.deepEqual(
    [...kinds].sort(),
    ['motivation', 'protective', 'risk'],
    'risk, protective and motivation items are all present',
  );
  assert.deepEqual(optionValues(doc, 'presence', 'scales'), [
    'absent',
    'partly',
    'present',
    'omitted_insufficient_information',
  ]);
  assert.deepEqual(optionValues(doc, 'relevance', 'scales'), ['low', 'moderate', 'high']);
  assert.deepEqual(
    arr(doc.judgements).map((j) => (j as Obj).key),
    ['level_of_concern', 'urgency'],
  );
  assert.deepEqual(optionValues(doc, 'level_of_concern', 'judgements'), ['low', 'moderate', 'high']);
  assert.deepEqual(optionValues(doc, 'urgency', 'judgements'), ['routine', 'elevated', 'urgent']);
  const described = arr(doc.judgements).flatMap((j, i) =>
    arr((j as Obj).options).flatMap((o, k) =>
      textProblems(`judgements[${i}:${String((j as Obj).key)}].options[${k}].description`, (o as Obj).description),
    ),
  );
  assert.deepEqual(described, [], `every judgement option says what the assessor means by it:${show(described)}`);
});

test('the SPJ template treats every kind of extremism alike', () => {
  const guidance = itemsOf(readInstrument(SPJ))
    .map(({ item }) => (item.guidance as Record<string, string> | undefined)?.en ?? '')
    .join('\n');
  for (const kind of [/far-right/i, /left-wing/i, /ethno-nationalist/i, /religio/i]) {
    assert.match(guidance, kind, `SPJ guidance should name ${kind.source} extremism alongside the others`);
  }
});

test('the checks themselves reject bad content', () => {
  const good = { en: 'Presence', ar: 'مدى الحضور', ur: 'موجودگی', fr: 'Présence' };
  assert.deepEqual(labelProblems('x', good), []);
  assert.match(labelProblems('x', { ...good, fr: 'Presence' }).join(), /x\.fr: same as English/);
  assert.match(labelProblems('x', { ...good, ur: 'Maujoodgi' }).join(), /x\.ur: no Arabic-script/);
  assert.match(labelProblems('x', { en: 'a', ar: 'ب', fr: 'c' }).join(), /x\.ur: missing/);
  assert.match(labelProblems('x', { ...good, fr: 'é'.repeat(201) }).join(), /x\.fr/);
  assert.deepEqual(textProblems('t', good), []);
  assert.match(textProblems('t', undefined).join(), /t: missing/);
  assert.match(textProblems('t', { ...good, ar: '' }).join(), /t\.ar: missing or empty/);
  assert.match(textProblems('t', { ...good, de: 'Vorhandensein' }).join(), /t\.de: unknown locale/);
  for (const name of [
    'VERA-2R',
    'vera 2r',
    'ERG22+',
    'ERG-R',
    'ERG 22+',
    'TRAP-18',
    'TRAP',
    'MLG',
    'Multi-Level Guidelines',
  ]) {
    assert.match(`see the ${name} items`, LICENSED_NAMES, name);
  }
  for (const ok of ['trapped', 'energy', 'several', 'average', 'emerge']) assert.doesNotMatch(ok, LICENSED_NAMES, ok);
  for (const bad of ['score', 'total_points', '3', 'sum_high']) assert.match(bad, SCORE_LIKE_VALUE, bad);
  for (const ok of ['absent', 'omitted_insufficient_information', 'moderate', 'urgent'])
    assert.doesNotMatch(ok, SCORE_LIKE_VALUE, ok);
  for (const bad of ['2', 'Score', '3 points', 'Total']) assert.match(bad, SCORE_LIKE_LABEL, bad);
  assert.match('Consider Muslim practice', NAMED_RELIGION);
  assert.doesNotMatch('religious practice or political opinion', NAMED_RELIGION);
});
