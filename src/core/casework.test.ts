import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  attended,
  goalChangeNeedsReapproval,
  matchReasons,
  matchStrength,
  matchWeight,
  purposeCode,
  rankMatches,
} from './casework.ts';

test('search matches: ID number over name over birth date, name tokens add up; stable and capped', () => {
  assert.equal(matchWeight(['id_number']), 100);
  assert.equal(matchWeight(['dob', 'name', 'name_token', 'name_token']), 17);
  const m = (id: string, matchedOn: string[]) => ({ id, matchedOn });
  assert.deepEqual(
    rankMatches([m('a', ['dob']), m('b', ['name']), m('c', ['id_number']), m('d', ['name'])]).map((x) => x.id),
    ['c', 'b', 'd', 'a'],
  );
  assert.equal(rankMatches(Array.from({ length: 30 }, (_, i) => m(String(i), ['dob']))).length, 20);
});

test('search matches: strength and reasons (ID or full name + birth date strong; a name part alone weak)', () => {
  assert.equal(matchStrength(['id_number']), 'strong');
  assert.equal(matchStrength(['dob', 'name', 'name_token']), 'strong');
  assert.equal(matchStrength(['name', 'name_token']), 'possible');
  assert.equal(matchStrength(['dob', 'name_token']), 'possible');
  assert.equal(matchStrength(['name_token', 'name_token']), 'weak');
  assert.equal(matchStrength(['dob']), 'weak');
  assert.deepEqual(matchReasons(['dob', 'name', 'name_token']), ['full_name', 'date_of_birth']);
  assert.deepEqual(matchReasons(['name_token', 'id_number']), ['id_number', 'name_part']);
  const m = (id: string, matchedOn: string[]) => ({ id, matchedOn });
  // Strength first: many name parts never outrank a full name.
  assert.deepEqual(
    rankMatches([m('w', Array(12).fill('name_token') as string[]), m('p', ['name', 'name_token'])]).map((x) => x.id),
    ['p', 'w'],
  );
});

test('goal changes: plan content, discontinuing and reopening need re-approval; progress does not', () => {
  const base = { statusBefore: 'in_progress', statusAfter: undefined };
  assert.equal(goalChangeNeedsReapproval({ ...base, columns: ['progress'] }), false);
  assert.equal(goalChangeNeedsReapproval({ ...base, columns: ['status'], statusAfter: 'achieved' }), false);
  assert.equal(goalChangeNeedsReapproval({ ...base, columns: ['target_date'] }), true);
  assert.equal(goalChangeNeedsReapproval({ ...base, columns: ['status'], statusAfter: 'discontinued' }), true);
  assert.equal(
    goalChangeNeedsReapproval({ columns: ['status'], statusBefore: 'discontinued', statusAfter: 'in_progress' }),
    true,
  );
  assert.equal(
    goalChangeNeedsReapproval({ columns: ['progress'], statusBefore: 'discontinued', statusAfter: undefined }),
    false,
  );
});

test('attendance and purpose codes', () => {
  assert.deepEqual(['present', 'late', 'absent', 'excused'].map(attended), [true, true, false, false]);
  assert.equal(purposeCode('safeguarding: called by the court'), 'safeguarding');
  assert.equal(purposeCode(null), null);
  assert.equal(purposeCode(''), null);
});
