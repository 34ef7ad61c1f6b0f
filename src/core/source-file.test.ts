import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { parseSource } from './source-file.ts';

const Schema = z.strictObject({
  key: z.string(),
  items: z.array(z.strictObject({ code: z.string(), n: z.number().max(3) })),
});

test('a valid file parses to its value', () => {
  const r = parseSource(Schema, '{"key":"a","items":[{"code":"x","n":1}]}');
  assert.deepEqual(r, { ok: true, value: { key: 'a', items: [{ code: 'x', n: 1 }] } });
});

test('schema errors name the field path and the line and column of the offending value', () => {
  const text = '{\n  "key": "a",\n  "items": [\n    { "code": "x", "n": 1 },\n    { "code": "y", "n": 9 }\n  ]\n}\n';
  const r = parseSource(Schema, text, 'definition');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.equal(r.details.length, 1);
  assert.equal(r.details[0]!.path, 'definition.items.1.n');
  assert.equal(r.details[0]!.line, 5);
  assert.equal(r.details[0]!.column, 25);
});

test('a missing field points at its object; an unknown field is reported as such', () => {
  const text = '{\n  "key": "a",\n  "items": [\n    { "n": 1, "extra": true }\n  ]\n}';
  const r = parseSource(Schema, text);
  assert.equal(r.ok, false);
  if (r.ok) return;
  const missing = r.details.find((d) => d.path === 'items.0.code');
  assert.equal(missing?.line, 4);
  assert.ok(r.details.some((d) => d.code === 'unknown_field' && d.line === 4));
});

test('syntax errors (trailing comma, comments, empty) give a line and column, never a value', () => {
  const r = parseSource(Schema, '{\n  "key": "a",\n  "items": [],\n}');
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual([r.details[0]!.code, r.details[0]!.line], ['json_syntax', 4]);
  const c = parseSource(Schema, '// hi\n{}');
  assert.equal(c.ok, false);
  const e = parseSource(Schema, '   ');
  assert.equal(e.ok, false);
  if (!e.ok) assert.equal(e.details[0]!.code, 'json_syntax');
});

test('a key given twice in one object is refused with the path and the line and column of the repetition', () => {
  const text = '{\n  "key": "a",\n  "items": [\n    { "code": "x", "n": 1, "n": 2 }\n  ],\n  "key": "b"\n}';
  const r = parseSource(Schema, text, 'definition');
  assert.equal(r.ok, false);
  if (r.ok) return;
  assert.deepEqual(
    r.details.map((d) => [d.path, d.code, d.line, d.column]),
    [
      ['definition.items.0.n', 'duplicate_key', 4, 28],
      ['definition.key', 'duplicate_key', 6, 3],
    ],
  );
});

test('nesting deeper than the limit is a too_deep problem, never a stack overflow', () => {
  const text = `{"key":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
  const r = parseSource(Schema, text);
  assert.equal(r.ok, false);
  if (!r.ok) assert.deepEqual([r.details[0]!.code, r.details[0]!.line], ['too_deep', 1]);
});
