import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InstrumentDefinition } from './instrument.ts';
import { checkJudgement, checkRatings, itemsByCode, missingForFinal } from './assessment.ts';

const def = InstrumentDefinition.parse(JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../content/instruments/sanad-spj-template.json'), 'utf8')));
const first = [...itemsByCode(def).values()][0]!;

test('ratings must be for a known item, on its own scales, with values on the scale', () => {
  assert.deepEqual(checkRatings(def, 'nope', {}), [{ path: 'itemCode', code: 'unknown_item' }]);
  assert.deepEqual(checkRatings(def, first.code, { presence: 'present' }), []);
  assert.deepEqual(checkRatings(def, first.code, { presence: '7' }), [{ path: 'ratings.presence', code: 'not_on_scale' }]);
  assert.deepEqual(checkRatings(def, first.code, { score: 'high' }), [{ path: 'ratings.score', code: 'scale_not_for_item' }]);
});

test('judgements must exist and be on their scale', () => {
  assert.deepEqual(checkJudgement(def, { level_of_concern: 'moderate' }), []);
  assert.deepEqual(checkJudgement(def, { level_of_concern: 'extreme' }), [{ path: 'judgement.level_of_concern', code: 'not_on_scale' }]);
  assert.deepEqual(checkJudgement(def, { total: 'x' }), [{ path: 'judgement.total', code: 'unknown_judgement' }]);
});

test('finalising needs every item rated on every scale and every judgement set', () => {
  const all = new Map([...itemsByCode(def).entries()].map(([code, item]) => [code, Object.fromEntries(item.scales.map((s) => [s, s === 'presence' ? 'omitted_insufficient_information' : 'low']))]));
  const judgement = Object.fromEntries(def.judgements.map((j) => [j.key, j.options[0]!.value]));
  assert.deepEqual(missingForFinal(def, all, judgement), []);
  all.delete(first.code);
  const m = missingForFinal(def, all, {});
  assert.ok(m.some((e) => e.path.startsWith(`items.${first.code}.`)));
  assert.ok(m.some((e) => e.path === `judgement.${def.judgements[0]!.key}`));
});
