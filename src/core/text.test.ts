import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { humanName, labelProblem, nameProblem, safeText } from './text.ts';

const ZWNJ = '\u200C';
const ZWJ = '\u200D';

test('names in Arabic, Urdu (with ZWNJ), Persian, French and emoji with ZWJ pass unchanged', () => {
  for (const name of [
    'عبد الله الحسيني',
    `محمد${ZWNJ}علی`,
    `نور${ZWNJ}جہاں`,
    `می${ZWNJ}خواهم`,
    'Chloé Dupont-Ndiaye',
    'O’Brien',
    `Ali 👨${ZWJ}👩${ZWJ}👧`,
    'ڈاکٹر عائشہ',
  ]) {
    assert.equal(nameProblem(name), null, name);
    assert.equal(humanName(100).parse(name), name);
  }
});

test('every bidi control and mark is refused in a name, C0/C1 controls and invisible format characters too', () => {
  const bidi = [
    '\u202A',
    '\u202B',
    '\u202C',
    '\u202D',
    '\u202E',
    '\u2066',
    '\u2067',
    '\u2068',
    '\u2069',
    '\u200E',
    '\u200F',
    '\u061C',
  ];
  for (const ch of bidi) assert.equal(nameProblem(`Ali${ch}Khan`), 'bidi_control', ch.codePointAt(0)!.toString(16));
  for (const ch of ['\u0000', '\u0007', '\t', '\n', '\u001B', '\u007F', '\u0085', '\u009B', '\u2028', '\u2029'])
    assert.equal(nameProblem(`Ali${ch}Khan`), 'control_character', ch.codePointAt(0)!.toString(16));
  for (const ch of ['\u200B', '\u2060', '\uFEFF', '\u00AD', '\u180E', '\u3164', '\u115F', '\uFFF9', '\u{E0041}'])
    assert.equal(nameProblem(`Ali${ch}Khan`), 'invisible_character', ch.codePointAt(0)!.toString(16));
});

test('labels refuse controls, embeddings, overrides and isolates, but keep the marks mixed wording needs', () => {
  assert.equal(labelProblem('signed form\u202E'), 'bidi_control');
  assert.equal(labelProblem('court \u2067order\u2069'), 'bidi_control');
  assert.equal(labelProblem('line\nbreak'), 'control_character');
  assert.equal(labelProblem('line\nbreak', { multiline: true }), null);
  assert.equal(labelProblem('bell\u0007', { multiline: true }), 'control_character');
  assert.equal(labelProblem('مقياس GAD-7\u200F (نسخة ٢)'), null, 'RLM is kept in labels');
  assert.equal(labelProblem(`فرم${ZWNJ}ها`), null);
});

test('the zod rules report a Sanad detail code with the field path, after trimming', () => {
  const S = z.strictObject({ name: humanName(20), label: safeText(20), note: safeText(20, { min: 0 }).optional() });
  const r = S.safeParse({ name: 'a\u202Eb', label: 'x\u2066y', note: 'ok' });
  assert.equal(r.success, false);
  assert.deepEqual(
    r.error.issues.map((i) => [i.path.join('.'), i.code]),
    [
      ['name', 'bidi_control'],
      ['label', 'bidi_control'],
    ],
  );
  assert.deepEqual(S.parse({ name: '  Amina  ', label: ' Court ' }), { name: 'Amina', label: 'Court' });
  assert.equal(S.safeParse({ name: '', label: 'x' }).error!.issues[0]!.code, 'too_small');
});
