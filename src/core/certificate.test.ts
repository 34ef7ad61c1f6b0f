import { test } from 'node:test';
import assert from 'node:assert/strict';
import { certificateCode, certificateStatus, normaliseCode } from './certificate.ts';

test('certificate codes: 60 bits as XXXX-XXXX-XXXX in Crockford base32', () => {
  assert.equal(certificateCode(new Uint8Array(8)), '0000-0000-0000');
  assert.equal(certificateCode(new Uint8Array(8).fill(0xff)), 'ZZZZ-ZZZZ-ZZZZ');
  // The low 4 bits of the 8th byte are not used.
  assert.equal(certificateCode(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x0f)), '0000-0000-0000');
  assert.equal(certificateCode(Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0x10)), '0000-0000-0001');
  assert.throws(() => certificateCode(new Uint8Array(7)));
});

test('typed codes are normalised; anything else is null', () => {
  assert.equal(normaliseCode(' abcd efgh jkmn '), 'ABCD-EFGH-JKMN');
  assert.equal(normaliseCode('o0il-1111-2222'), '0011-1111-2222');
  assert.equal(normaliseCode('ABCD-EFGH-JKMU'), null);
  assert.equal(normaliseCode('ABCD-EFGH'), null);
});

test('certificate status: revoked beats expired beats valid', () => {
  const now = new Date('2025-06-01T00:00:00Z');
  const past = new Date('2025-01-01T00:00:00Z');
  const future = new Date('2026-01-01T00:00:00Z');
  assert.equal(certificateStatus({ revoked_at: null, expires_at: future }, now), 'valid');
  assert.equal(certificateStatus({ revoked_at: null, expires_at: past }, now), 'expired');
  assert.equal(certificateStatus({ revoked_at: past, expires_at: past }, now), 'revoked');
});
