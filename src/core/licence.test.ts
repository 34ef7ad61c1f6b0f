import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { InstrumentDefinition } from './instrument.ts';
import { isCertified, visibleDefinition, withWording } from './licence.ts';

const spj = InstrumentDefinition.parse(
  JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, '../../content/instruments/sanad-spj-template.json'), 'utf8'),
  ),
);
const now = new Date('2026-11-25T12:00:00Z');
const day = 86_400_000;

test('certification: valid, expired yesterday, revoked, other instrument, none needed', () => {
  const c = (expiresAt: Date | null, revokedAt: Date | null = null, certification = 'sanad-spj-template') => ({
    certification,
    expiresAt,
    revokedAt,
  });
  assert.equal(isCertified([c(new Date(now.getTime() + day))], 'sanad-spj-template', now), true);
  assert.equal(isCertified([c(new Date(now.getTime() - day))], 'sanad-spj-template', now), false, 'expired yesterday');
  assert.equal(isCertified([c(null, new Date(now.getTime() - day))], 'sanad-spj-template', now), false, 'revoked');
  assert.equal(isCertified([c(null, null, 'other')], 'sanad-spj-template', now), false);
  assert.equal(isCertified([], null, now), true, 'an instrument without a licence needs none');
});

test('wording and guidance are removed for the uncertified, everywhere in the tree, titles stay', () => {
  const hidden = visibleDefinition(spj, false);
  assert.equal(hidden.wordingHidden, true);
  const text = JSON.stringify(hidden.domains);
  assert.ok(!text.includes('"wording"') && !text.includes('"guidance"'));
  assert.ok(text.includes('"title"'));
  const shown = visibleDefinition(spj, true);
  assert.ok(JSON.stringify(shown.domains).includes('"wording"'));
});

test('a licensee’s uploaded wording is merged by item code', () => {
  const code = spj.domains[0]!.items[0]!.code;
  const merged = withWording(spj, { [code]: { wording: { en: 'Licensed text' } } });
  assert.equal(merged.domains[0]!.items[0]!.wording?.en, 'Licensed text');
  assert.equal(merged.domains[0]!.items[0]!.wording?.ar, spj.domains[0]!.items[0]!.wording?.ar);
});
