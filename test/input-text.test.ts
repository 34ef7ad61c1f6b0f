/**
 * Names and short labels that other people see refuse bidi controls and other invisible characters
 * (core/text.ts), on every endpoint that takes them, while Arabic and Urdu names (with ZWNJ) pass
 * intact; uploaded definition files refuse repeated keys with line and column.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { call, closeShared, intake, makeTenant, shared$, ownerDb, type CallResult } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    admin: { roles: ['tenant_admin'] },
    coord: { roles: ['coordinator'] },
  });
});
after(closeShared);

const RLO = '\u202E';
const ZWNJ = '\u200C';
const ARABIC = 'عبد الله';
const URDU = `نور${ZWNJ}جہاں`;

function detail(r: CallResult): [number, string, string] {
  return [r.status, r.body?.error?.details?.[0]?.path, r.body?.error?.details?.[0]?.code];
}

test('participant identity and family contacts: bidi controls refused with the field path; Arabic and Urdu names kept exactly', async () => {
  const cm = t.users.cm!.cookie;
  const given = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({ teamId: t.teamA, identity: { givenName: `Ali${RLO}nahK`, familyName: 'Synthetic' } }),
  });
  assert.deepEqual(detail(given), [400, 'identity.givenName', 'bidi_control']);
  const isolate = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({ teamId: t.teamA, identity: { givenName: 'Ali', familyName: 'Kh\u2067an' } }),
  });
  assert.deepEqual(detail(isolate), [400, 'identity.familyName', 'bidi_control']);
  const mark = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({ teamId: t.teamA, identity: { givenName: `${ARABIC}\u200F`, familyName: 'Synthetic' } }),
  });
  assert.deepEqual(detail(mark), [400, 'identity.givenName', 'bidi_control'], 'marks are refused in names too');
  const contact = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({ teamId: t.teamA, familyContacts: [{ name: `Umm${RLO}Ali`, relationship: 'mother' }] }),
  });
  assert.deepEqual(detail(contact), [400, 'familyContacts.0.name', 'bidi_control']);
  const zwsp = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({ teamId: t.teamA, identity: { givenName: 'Ali\u200BKhan', familyName: 'Synthetic' } }),
  });
  assert.deepEqual(detail(zwsp), [400, 'identity.givenName', 'invisible_character']);
  const referral = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({ teamId: t.teamA, referralSource: `court${RLO}` }),
  });
  assert.deepEqual(detail(referral), [400, 'referralSource', 'bidi_control']);
  const search = await call(ctx.app, 'POST', '/api/v1/participants/search', {
    cookie: cm,
    body: { givenName: `A${RLO}li`, familyName: 'Khan' },
  });
  assert.deepEqual(detail(search), [400, 'givenName', 'bidi_control']);

  const ok = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: cm,
    body: intake({
      teamId: t.teamA,
      identity: { givenName: ARABIC, familyName: URDU },
      familyContacts: [{ name: `زینب${ZWNJ}بی`, relationship: 'والدہ', phone: '\u200E+92 300 0000000' }],
    }),
  });
  assert.equal(ok.status, 201, ok.text);
  const shown = await call(ctx.app, 'POST', `/api/v1/participants/${ok.body.id}/reveal`, {
    cookie: cm,
    body: { purpose: 'case_work', reason: 'checking the stored spelling' },
  });
  assert.equal(shown.status, 200, shown.text);
  assert.equal(shown.body.identity.givenName, ARABIC);
  assert.equal(shown.body.identity.familyName, URDU, 'ZWNJ kept');
  assert.equal(shown.body.familyContacts[0].name, `زینب${ZWNJ}بی`);
  assert.equal(
    shown.body.familyContacts[0].phone,
    '\u200E+92 300 0000000',
    'a mark is allowed in a label such as a phone number',
  );
});

test('user display names, cohort names and learner names (single and CSV) refuse bidi controls; Urdu with ZWNJ passes', async () => {
  const invite = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email: `rlo.${Date.now()}@test.sanad.example`, displayName: `Admin${RLO}nimdA`, roles: ['case_manager'] },
  });
  assert.deepEqual(detail(invite), [400, 'displayName', 'bidi_control']);
  const bell = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email: `bell.${Date.now()}@test.sanad.example`, displayName: 'Ding\u0007', roles: ['case_manager'] },
  });
  assert.deepEqual(detail(bell), [400, 'displayName', 'control_character']);
  const urduUser = await call(ctx.app, 'POST', '/api/v1/users/invitations', {
    cookie: t.users.admin!.cookie,
    body: { email: `urdu.${Date.now()}@test.sanad.example`, displayName: URDU, roles: ['case_manager'] },
  });
  assert.equal(urduUser.status, 201, urduUser.text);

  const cohort = (name: string) =>
    call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
      cookie: t.users.coord!.cookie,
      body: { name, memberState: 'PK', language: 'ur', startsOn: '2026-01-05', endsOn: '2026-12-20', capacity: 30 },
    });
  assert.deepEqual(detail(await cohort(`Spring \u2066intake\u2069`)), [400, 'name', 'bidi_control']);
  const c = await cohort(`بہار ${URDU}`);
  assert.equal(c.status, 201, c.text);

  const enrol = (body: unknown) =>
    call(ctx.app, 'POST', `/api/v1/academy/cohorts/${c.body.id}/enrolments`, { cookie: t.users.coord!.cookie, body });
  assert.deepEqual(detail(await enrol({ email: `one.${Date.now()}@learners.example`, name: `Learner${RLO}` })), [
    400,
    'name',
    'bidi_control',
  ]);
  assert.deepEqual(detail(await enrol({ email: `tw\u202Eo.${Date.now()}@learners.example`, name: 'Two' })), [
    400,
    'email',
    'invalid_email',
  ]);
  const csv = [
    'email,name',
    `a.${Date.now()}@learners.example,${URDU}`,
    `b.${Date.now()}@learners.example,Bad${RLO}Name`,
    `c.${Date.now()}@learners.example,Zero\u200BWidth`,
  ].join('\n');
  const preview = await enrol({ csv, commit: false });
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual(
    preview.body.results.map(
      (r: { line: number; code?: string; outcome: string }) => `${r.line}:${r.code ?? r.outcome}`,
    ),
    ['2:invite', '3:bidi_control', '4:invisible_character'],
  );
});

test('case labels: consent source refuses an override but keeps an RLM', async () => {
  const p = await call(ctx.app, 'POST', '/api/v1/participants', {
    cookie: t.users.cm!.cookie,
    body: intake({ teamId: t.teamA }),
  });
  assert.equal(p.status, 201, p.text);
  const consent = (source: string) =>
    call(ctx.app, 'POST', `/api/v1/participants/${p.body.id}/consents`, {
      cookie: t.users.cm!.cookie,
      body: { purpose: 'services', legalBasis: 'consent', givenOn: '2026-01-05', source },
    });
  assert.deepEqual(detail(await consent(`signed form${RLO}`)), [400, 'source', 'bidi_control']);
  assert.equal((await consent('استمارة موقّعة (A-12)\u200F')).status, 201);
});

test('program names and phase names: an override is refused with the path; Arabic wording with an RLM is kept', async () => {
  const p = await call(ctx.app, 'POST', '/api/v1/programs', {
    cookie: t.users.admin!.cookie,
    body: { framework: 'juvenile' },
  });
  assert.equal(p.status, 201, p.text);
  const def = p.body.definition;
  const put = (definition: unknown, version: number) =>
    call(ctx.app, 'PUT', `/api/v1/programs/${p.body.id}`, {
      cookie: t.users.admin!.cookie,
      body: { definition },
      headers: { 'if-match': String(version) },
    });
  assert.deepEqual(detail(await put({ ...def, name: { ...def.name, en: `Youth${RLO}` } }, p.body.version)), [
    400,
    'definition.name.en',
    'bidi_control',
  ]);
  const phases = def.phases.map((ph: { name: Record<string, string> }, i: number) =>
    i === 0 ? { ...ph, name: { ...ph.name, ur: `داخلہ\u2066x\u2069` } } : ph,
  );
  assert.deepEqual(detail(await put({ ...def, phases }, p.body.version)), [
    400,
    'definition.phases.0.name.ur',
    'bidi_control',
  ]);
  const ok = await put({ ...def, name: { ...def.name, ar: 'برنامج الأحداث (GAD-7)\u200F' } }, p.body.version);
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.body.definition.name.ar, 'برنامج الأحداث (GAD-7)\u200F');
});

test('an uploaded instrument file with a key given twice is refused with its path, line and column', async () => {
  const source = '{\n  "key": "dup-file",\n  "version": "1.0",\n  "version": "2.0"\n}';
  const r = await call(ctx.app, 'POST', '/api/v1/instruments', { cookie: t.users.admin!.cookie, body: { source } });
  assert.equal(r.status, 400, r.text);
  assert.deepEqual(
    r.body.error.details.map((d: { path: string; code: string; line: number; column: number }) => [
      d.path,
      d.code,
      d.line,
      d.column,
    ]),
    [['definition.version', 'duplicate_key', 4, 3]],
  );
});

test('a program stored before the label rule, with an embedding in an Arabic label, still loads (neutralised on read)', async () => {
  const p = await call(ctx.app, 'POST', '/api/v1/programs', {
    cookie: t.users.admin!.cookie,
    body: { framework: 'juvenile' },
  });
  assert.equal(p.status, 201, p.text);
  const old = { ...p.body.definition, name: { ...p.body.definition.name, ar: '\u202Bبرنامج الأحداث\u202C' } };
  // As an older version would have stored it (the API now refuses such a label).
  await sql`update programs set definition = ${JSON.stringify(old)}::jsonb where id = ${p.body.id}`.execute(ownerDb());
  const r = await call(ctx.app, 'GET', `/api/v1/programs/${p.body.id}`, { cookie: t.users.admin!.cookie });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.definition.name.ar, 'برنامج الأحداث');
});
