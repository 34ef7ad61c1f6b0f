import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError } from './errors.ts';
import { classifyEnrolRows, csvCell, parseEnrolmentCsv, scoreRubric, type KnownAccount } from './enrolment.ts';

test('the enrolment CSV: header names the columns, lines count the header, blank lines skipped', () => {
  const rows = parseEnrolmentCsv('\uFEFFName,Email,Cohort\r\nAmina,a@x.org,Autumn\r\n,,\r\n"B, C",b@x.org,\r\n');
  assert.deepEqual(rows, [
    { line: 2, email: 'a@x.org', name: 'Amina', cohort: 'Autumn' },
    { line: 4, email: 'b@x.org', name: 'B, C', cohort: '' },
  ]);
  assert.throws(
    () => parseEnrolmentCsv('mail,name\nx@y.org,X\n'),
    (e: unknown) => e instanceof AppError && e.details?.[0]?.code === 'missing_columns',
  );
  assert.throws(
    () => parseEnrolmentCsv('email,name\n"x@y.org,X\n'),
    (e: unknown) => e instanceof AppError && e.details?.[0]?.code === 'csv_syntax',
  );
});

test('each row is enrolled, invited or refused with a stable code, in order', () => {
  const accounts: Record<string, KnownAccount> = {
    'here@x.org': { tenantId: 't1', disabled: false, enrolledIn: null },
    'other@x.org': { tenantId: 't2', disabled: false, enrolledIn: null },
    'off@x.org': { tenantId: 't1', disabled: true, enrolledIn: null },
    'in@x.org': { tenantId: 't1', disabled: false, enrolledIn: 'c1' },
    'away@x.org': { tenantId: 't1', disabled: false, enrolledIn: 'c2' },
  };
  const rows = [
    { line: 2, email: ' Here@X.org ', name: '' },
    { line: 3, email: 'not-an-address', name: 'N' },
    { line: 4, email: 'here@x.org', name: 'Dup' },
    { line: 5, email: 'named@x.org', name: 'W', cohort: 'Spring' },
    { line: 6, email: 'other@x.org', name: 'O' },
    { line: 7, email: 'off@x.org', name: 'Off' },
    { line: 8, email: 'in@x.org', name: 'In' },
    { line: 9, email: 'away@x.org', name: 'Away' },
    { line: 10, email: 'new@x.org', name: ' ' },
    { line: 11, email: 'bidi@x.org', name: 'A\u202Eb' },
    { line: 12, email: 'new1@x.org', name: 'New One', cohort: 'Autumn' },
    { line: 13, email: 'new2@x.org', name: 'New Two' },
  ];
  const out = classifyEnrolRows(rows, {
    tenantId: 't1',
    cohort: { id: 'c1', name: 'Autumn' },
    places: 2,
    account: (e) => accounts[e],
  });
  assert.deepEqual(
    out.map((r) => [r.line, r.email, r.outcome, r.code ?? null]),
    [
      [2, 'here@x.org', 'enrol', null],
      [3, 'not-an-address', 'error', 'invalid_email'],
      [4, 'here@x.org', 'error', 'duplicate'],
      [5, 'named@x.org', 'error', 'wrong_cohort'],
      [6, 'other@x.org', 'error', 'email_taken'],
      [7, 'off@x.org', 'error', 'account_disabled'],
      [8, 'in@x.org', 'error', 'already_enrolled'],
      [9, 'away@x.org', 'error', 'enrolled_elsewhere'],
      [10, 'new@x.org', 'error', 'name_required'],
      [11, 'bidi@x.org', 'error', 'bidi_control'],
      [12, 'new1@x.org', 'invite', null],
      [13, 'new2@x.org', 'error', 'over_capacity'],
    ],
  );
});

test('a rubric is scored only when complete and in range', () => {
  const criteria = [
    { id: 'a', maxPoints: 4 },
    { id: 'b', maxPoints: 6 },
  ];
  assert.deepEqual(scoreRubric(criteria, { a: 3, b: 4 }, 0.7), { points: 7, max: 10, passed: true });
  assert.deepEqual(scoreRubric(criteria, { a: 2, b: 4 }, 0.7), { points: 6, max: 10, passed: false });
  assert.throws(
    () => scoreRubric(criteria, { a: 5, c: 1 }, 0.7),
    (e: unknown) =>
      e instanceof AppError &&
      JSON.stringify(e.details) ===
        JSON.stringify([
          { path: 'rubric.a', code: 'max:4' },
          { path: 'rubric.b', code: 'required' },
          { path: 'rubric.c', code: 'unknown_criterion' },
        ]),
  );
});

test('CSV cells are quoted and formula-looking text is defused', () => {
  assert.equal(csvCell('=SUM(A1)'), `"'=SUM(A1)"`);
  assert.equal(csvCell('-1'), `"'-1"`);
  assert.equal(csvCell('say "hi"'), `"say ""hi"""`);
  assert.equal(csvCell(null), '""');
  assert.equal(csvCell(42), '"42"');
});
