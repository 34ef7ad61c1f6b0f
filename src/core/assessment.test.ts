import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InstrumentDefinition } from './instrument.ts';
import { checkJudgement, checkRatings, compareOverTime, itemsByCode, missingForFinal } from './assessment.ts';

const def = InstrumentDefinition.parse(
  JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../content/instruments/sanad-spj-template.json'), 'utf8'),
  ),
);
const first = [...itemsByCode(def).values()][0]!;

test('ratings must be for a known item, on its own scales, with values on the scale', () => {
  assert.deepEqual(checkRatings(def, 'nope', {}), [{ path: 'itemCode', code: 'unknown_item' }]);
  assert.deepEqual(checkRatings(def, first.code, { presence: 'present' }), []);
  assert.deepEqual(checkRatings(def, first.code, { presence: '7' }), [
    { path: 'ratings.presence', code: 'not_on_scale' },
  ]);
  assert.deepEqual(checkRatings(def, first.code, { score: 'high' }), [
    { path: 'ratings.score', code: 'scale_not_for_item' },
  ]);
});

test('judgements must exist and be on their scale', () => {
  assert.deepEqual(checkJudgement(def, { level_of_concern: 'moderate' }), []);
  assert.deepEqual(checkJudgement(def, { level_of_concern: 'extreme' }), [
    { path: 'judgement.level_of_concern', code: 'not_on_scale' },
  ]);
  assert.deepEqual(checkJudgement(def, { total: 'x' }), [{ path: 'judgement.total', code: 'unknown_judgement' }]);
});

test('finalising needs every item rated on every scale and every judgement set', () => {
  const all = new Map(
    [...itemsByCode(def).entries()].map(([code, item]) => [
      code,
      Object.fromEntries(item.scales.map((s) => [s, s === 'presence' ? 'omitted_insufficient_information' : 'low'])),
    ]),
  );
  const judgement = Object.fromEntries(def.judgements.map((j) => [j.key, j.options[0]!.value]));
  assert.deepEqual(missingForFinal(def, all, judgement), []);
  all.delete(first.code);
  const m = missingForFinal(def, all, {});
  assert.ok(m.some((e) => e.path.startsWith(`items.${first.code}.`)));
  assert.ok(m.some((e) => e.path === `judgement.${def.judgements[0]!.key}`));
});

test('comparison shows each item and per-domain counts by value over time, and no number that sums ratings', () => {
  const [c1, c2] = [...itemsByCode(def).keys()];
  const r = compareOverTime(def, 'presence', [
    { id: 'b', finalisedAt: '2026-06-01T00:00:00Z', ratings: new Map([[c1!, { presence: 'partly' }]]) },
    {
      id: 'a',
      finalisedAt: '2026-01-01T00:00:00Z',
      ratings: new Map([
        [c1!, { presence: 'present' }],
        [c2!, { presence: 'present' }],
      ]),
    },
  ]);
  assert.deepEqual(
    r.assessments.map((a) => a.id),
    ['a', 'b'],
    'chronological',
  );
  const d0 = r.domains[0]!;
  assert.deepEqual(d0.items.find((i) => i.code === c1)!.values, ['present', 'partly']);
  assert.deepEqual(d0.displayAidCounts[1], { partly: 1 });
  assert.match(r.note, /not scores/);
  assert.doesNotMatch(JSON.stringify(r), /"(score|total|sum|probability)"/i);
});

test('finalising refuses an item that requires evidence, rated present, without evidence; absent or omitted needs none', () => {
  const req = [...itemsByCode(def).values()].find((i) => i.evidenceRequired);
  assert.ok(req, 'the shipped template has at least one item that requires evidence');
  const all = new Map(
    [...itemsByCode(def).entries()].map(([code, item]) => [
      code,
      Object.fromEntries(item.scales.map((s) => [s, s === 'presence' ? 'absent' : 'low'])),
    ]),
  );
  const judgement = Object.fromEntries(def.judgements.map((j) => [j.key, j.options[0]!.value]));
  assert.deepEqual(missingForFinal(def, all, judgement), [], 'absent needs no evidence');
  all.set(req.code, { ...all.get(req.code), presence: 'present' });
  assert.deepEqual(missingForFinal(def, all, judgement), [
    { path: `items.${req.code}.evidence`, code: 'evidence_required' },
  ]);
  assert.deepEqual(missingForFinal(def, all, judgement, new Set([req.code])), []);
  all.set(req.code, { ...all.get(req.code), presence: 'omitted_insufficient_information' });
  assert.deepEqual(missingForFinal(def, all, judgement), []);
});
