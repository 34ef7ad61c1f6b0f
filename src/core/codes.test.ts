import { test } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { participantCode } from './codes.ts';

test('participant codes carry 40 bits in unambiguous characters', () => {
  const code = participantCode(crypto.randomBytes(8));
  assert.match(code, /^SN-[0-9A-HJKMNP-TV-Z]{8}$/);
  assert.throws(() => participantCode(crypto.randomBytes(6)), /8 random bytes/);
  // 100k codes (a large member state's caseload) collide rarely enough that one retry covers it.
  const seen = new Set<string>();
  let dup = 0;
  for (let i = 0; i < 100_000; i++) {
    const c = participantCode(crypto.randomBytes(8));
    if (seen.has(c)) dup++;
    seen.add(c);
  }
  assert.ok(dup <= 2, `${dup} collisions`);
});
