import { test } from 'node:test';
import assert from 'node:assert/strict';
import { indexValues, nameTokens, normaliseIdNumber, normaliseText } from './normalise.ts';

test('Latin: case, accents and punctuation do not matter', () => {
  assert.equal(normaliseText('  José-Luis  MÜLLER '), 'jose luis muller');
});

test('Arabic: hamza and alef forms, ta marbuta, alef maqsura, tashkeel and tatweel are folded', () => {
  assert.equal(normaliseText('أحمد'), normaliseText('احمد'));
  assert.equal(normaliseText('إبراهيم'), normaliseText('ابراهيم'));
  assert.equal(normaliseText('فاطمة'), normaliseText('فاطمه'));
  assert.equal(normaliseText('مصطفى'), normaliseText('مصطفي'));
  assert.equal(normaliseText('مُحَمَّد'), normaliseText('محمد'));
  assert.equal(normaliseText('محـــمد'), normaliseText('محمد'));
});

test('Urdu/Persian letter variants match their Arabic counterparts', () => {
  assert.equal(normaliseText('علی'), normaliseText('علي'));
  assert.equal(normaliseText('کریم'), normaliseText('كريم'));
});

test('Arabic-Indic and Persian digits become ASCII', () => {
  assert.equal(normaliseIdNumber('١٢٣-٤٥ ۶'), '123456');
  assert.equal(normaliseIdNumber('ab 12-34'), 'AB1234');
});

test('name tokens ignore order and one-letter initials', () => {
  assert.deepEqual(nameTokens('Sara A.', 'Haddad'), nameTokens('haddad', 'sara'));
});

test('index values: full name (order-free), tokens, date of birth, id number', () => {
  const v = indexValues({
    givenName: 'Omar',
    familyName: 'Al-Farouq',
    dateOfBirth: '1999-04-02',
    nationalId: 'x-99 12',
  });
  assert.deepEqual(
    v.map((e) => e.kind),
    ['name', 'name_token', 'name_token', 'name_token', 'dob', 'id_number'],
  );
  assert.equal(v.find((e) => e.kind === 'id_number')?.value, 'X9912');
  assert.deepEqual(indexValues({}), []);
});
