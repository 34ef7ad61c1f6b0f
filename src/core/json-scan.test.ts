import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scanJson } from './json-scan.ts';

test('duplicate keys are found at every depth with their path and the offset of the repetition', () => {
  const text = '{"a":1,"b":{"c":[{"d":1},{"d":2,"d":3}]},"a":4}';
  const found = scanJson(text);
  assert.deepEqual(
    found.map((p) => [p.code, p.path]),
    [
      ['duplicate_key', 'b.c.1.d'],
      ['duplicate_key', 'a'],
    ],
  );
  assert.equal(text.slice(found[0]!.offset, found[0]!.offset + 3), '"d"');
  assert.equal(text.slice(found[1]!.offset, found[1]!.offset + 3), '"a"');
});

test('keys are compared decoded (as JSON.parse sees them); equal strings as values are not keys', () => {
  assert.deepEqual(
    scanJson('{"name":"x","na\\u006de":"y"}').map((p) => p.path),
    ['name'],
  );
  assert.deepEqual(scanJson('{"a":"a","b":["a","a"],"c":{"a":"b"}}'), []);
  assert.deepEqual(scanJson('{"a":{},"b":{"a":1}}'), [], 'the same key in different objects is fine');
  assert.deepEqual(scanJson('[{"x":1},{"x":1}]'), []);
});

test('nesting: any depth is scanned without recursion; maxDepth reports the first container too deep', () => {
  const deep = '['.repeat(200_000) + ']'.repeat(200_000);
  assert.deepEqual(scanJson(deep), []);
  const r = scanJson('{"a":[[{"b":[1]}]]}', { maxDepth: 4 });
  assert.deepEqual(
    r.map((p) => [p.code, p.path]),
    [['too_deep', 'a.0.0.b']],
  );
  assert.deepEqual(scanJson('{"a":[[{"b":1}]]}', { maxDepth: 4 }), []);
});

test('the number of reported duplicates is limited; malformed text ends without throwing', () => {
  const many = `{${Array.from({ length: 50 }, () => '"k":1').join(',')}}`;
  assert.equal(scanJson(many, { limit: 5 }).length, 5);
  for (const bad of ['{"a":', '}}}]]', '{"a" "a"}', '"unterminated', '']) assert.doesNotThrow(() => scanJson(bad));
});
