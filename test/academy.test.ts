/** The academy: cohorts, enrolment (invite, CSV), learning gates, quizzes, assignments, certificates, verification, isolation. */
import { after, before, test } from 'node:test';
import crypto from 'node:crypto';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { SnapshotItem } from '../src/core/quiz.ts';
import { academy } from '../src/server/content.ts';
import { encryptLegacyAcademyText } from '../src/server/modules/academy/text-crypto.ts';
import { call, closeShared, makeTenant, shared$ } from './helpers.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
let cohortId: string;
const course = () => academy().course;
before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    coord: { roles: ['coordinator'] },
    fac: { roles: ['facilitator'] },
    fac2: { roles: ['facilitator'] },
    l1: { roles: ['learner'] },
    l2: { roles: ['learner'] },
    cm: { roles: ['case_manager'], team: 'a' },
    admin: { roles: ['tenant_admin'] },
  });
  other = await makeTenant(ctx.services, { coord: { roles: ['coordinator'] }, l: { roles: ['learner'] } });
  const c = await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
    cookie: t.users.coord!.cookie,
    body: {
      name: 'Spring intake',
      memberState: 'PK',
      language: 'ur',
      startsOn: '2026-01-05',
      endsOn: '2026-12-20',
      capacity: 30,
      facilitatorIds: [t.users.fac!.id],
    },
  });
  assert.equal(c.status, 201, c.text);
  cohortId = c.body.id;
});
after(closeShared);

async function enrol(key: 'l1' | 'l2'): Promise<string> {
  const r = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { email: t.users[key]!.email, name: key },
  });
  assert.equal(r.status, 200, r.text);
  const me = await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users[key]!.cookie });
  return me.body.items[0].id;
}

/** Reads the attempt's own snapshot (server side) and answers everything right, or wrong. */
async function answerAll(attemptId: string, cookie: string, right: boolean) {
  const row = await ctx.services.db
    .selectFrom('academy_attempts')
    .select('items')
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
  for (const i of row.items as SnapshotItem[]) {
    const body =
      i.kind === 'truefalse'
        ? { value: right ? i.answer : !i.answer }
        : i.kind === 'multiple'
          ? { choices: i.options!.filter((o) => o.correct === right).map((o) => o.id) }
          : i.kind === 'matching'
            ? {
                pairs: Object.fromEntries(
                  i.lefts!.map((l, k) => [
                    l.id,
                    i.rights!.find((r) => r.pair === (right ? l.pair : i.lefts![(k + 1) % i.lefts!.length]!.pair))!.id,
                  ]),
                ),
              }
            : { choice: i.options!.find((o) => o.correct === right)!.id };
    const r = await call(ctx.app, 'PUT', `/api/v1/academy/attempts/${attemptId}/answers/${i.id}`, { cookie, body });
    assert.equal(r.status, 200, r.text);
  }
}

async function takeQuiz(e: string, moduleId: string, cookie: string, right = true) {
  const a = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/${moduleId}/attempts`, { cookie });
  assert.equal(a.status, 201, a.text);
  await answerAll(a.body.id, cookie, right);
  const s = await call(ctx.app, 'POST', `/api/v1/academy/attempts/${a.body.id}/submit`, {
    cookie,
    headers: { 'if-match': String(a.body.version) },
  });
  assert.equal(s.status, 200, s.text);
  return s.body;
}

async function completeModule(e: string, moduleId: string, cookie: string) {
  const m = course().modules.find((x) => x.id === moduleId)!;
  for (const l of m.lessons)
    assert.equal(
      (await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/lessons/${l.id}/complete`, { cookie })).status,
      200,
    );
  const q = await takeQuiz(e, moduleId, cookie);
  assert.equal(q.score, 100);
  if (m.assignment) {
    const sub = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/${moduleId}/submissions`, {
      cookie,
      body: { body: 'A synthetic answer to the case scenario that is long enough to be graded by a facilitator.' },
    });
    assert.equal(sub.status, 201, sub.text);
    const g = await call(ctx.app, 'GET', `/api/v1/academy/submissions/${sub.body.id}`, { cookie: t.users.fac!.cookie });
    assert.equal(g.status, 200, g.text);
    const rubric = Object.fromEntries(m.assignment.rubric.map((r) => [r.id, r.maxPoints]));
    const graded = await call(ctx.app, 'POST', `/api/v1/academy/submissions/${sub.body.id}/grade`, {
      cookie: t.users.fac!.cookie,
      body: { rubric, feedback: 'Clear and well argued.' },
      headers: { 'if-match': String(g.body.version) },
    });
    assert.equal(graded.status, 200, graded.text);
    return graded.body;
  }
  return q;
}

test('the shipped course is complete: six topics, 3+ lessons each in en/ar/ur, 15+ items per bank', () => {
  assert.equal(course().modules.length, 6);
  for (const m of course().modules) {
    assert.ok(m.lessons.length >= 3 && m.lessons.length <= 5, m.id);
    assert.ok(m.bank.length >= 15, m.id);
    for (const l of m.lessons)
      for (const loc of ['en', 'ar', 'ur'] as const)
        assert.ok(academy().lessons.get(l.id)!.html[loc], `${l.id}.${loc}`);
    for (const l of m.lessons) {
      const w = academy().lessons.get(l.id)!.words.en!;
      assert.ok(w >= 600 && w <= 1300, `${l.id}: ${w} words`);
    }
    for (const kind of ['single', 'multiple', 'truefalse', 'matching', 'scenario'])
      assert.ok(
        m.bank.some((i) => i.kind === kind),
        `${m.id} has ${kind}`,
      );
  }
});

test('cohort input is validated with field paths; only coordinators create; other tenants see 404', async () => {
  const bad = await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
    cookie: t.users.coord!.cookie,
    body: { name: 'x', memberState: 'pak', language: 'de', startsOn: '2026-05-01', endsOn: '2026-04-01', capacity: 0 },
  });
  assert.equal(bad.status, 400);
  const paths = bad.body.error.details.map((d: { path: string }) => d.path).sort();
  for (const p of ['capacity', 'language', 'memberState']) assert.ok(paths.includes(p), p);
  const notFac = await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
    cookie: t.users.coord!.cookie,
    body: {
      name: 'x',
      memberState: 'PK',
      language: 'en',
      startsOn: '2026-05-01',
      endsOn: '2026-06-01',
      capacity: 5,
      facilitatorIds: [t.users.cm!.id],
    },
  });
  assert.deepEqual(notFac.body.error.details, [{ path: 'facilitatorIds.0', code: 'not_facilitator' }]);
  assert.equal(
    (
      await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
        cookie: t.users.fac!.cookie,
        body: {
          name: 'x',
          memberState: 'PK',
          language: 'en',
          startsOn: '2026-05-01',
          endsOn: '2026-06-01',
          capacity: 5,
        },
      })
    ).status,
    403,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: other.users.coord!.cookie })).status,
    404,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: t.users.fac2!.cookie })).status,
    404,
    'a facilitator of other cohorts',
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: t.users.fac!.cookie })).status,
    200,
  );
  // Lists and country summaries follow the same rule.
  assert.deepEqual(
    (await call(ctx.app, 'GET', '/api/v1/academy/cohorts', { cookie: t.users.fac2!.cookie })).body.items,
    [],
  );
  assert.deepEqual(
    (await call(ctx.app, 'GET', '/api/v1/academy/reports/countries', { cookie: t.users.fac2!.cookie })).body.items,
    [],
  );
  assert.deepEqual(
    (await call(ctx.app, 'GET', '/api/v1/academy/cohorts', { cookie: t.users.fac!.cookie })).body.items.map(
      (x: { id: string }) => x.id,
    ),
    [cohortId],
  );
  assert.deepEqual(
    (await call(ctx.app, 'GET', '/api/v1/academy/cohorts', { cookie: other.users.coord!.cookie })).body.items,
    [],
  );
  const stale = await call(ctx.app, 'PATCH', `/api/v1/academy/cohorts/${cohortId}`, {
    cookie: t.users.coord!.cookie,
    body: {
      name: 'Spring',
      memberState: 'PK',
      language: 'ur',
      startsOn: '2026-01-05',
      endsOn: '2026-12-20',
      capacity: 30,
      facilitatorIds: [t.users.fac!.id],
    },
    headers: { 'if-match': '99' },
  });
  assert.equal(stale.status, 409);
});

test('CSV enrolment: preview reports each bad row with its line; commit enrols only the good rows, all at once', async () => {
  const csv = [
    'email,name,cohort',
    'new.one@learners.example,New One,',
    'not-an-email,Bad Email,',
    'new.one@learners.example,Dup,',
    `new.two@learners.example,New Two,Another cohort`,
    `${other.users.l!.email},Elsewhere,`,
    'new.three@learners.example,New Three,Spring intake',
  ].join('\n');
  const preview = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { csv, commit: false },
  });
  assert.equal(preview.status, 200, preview.text);
  assert.deepEqual(
    preview.body.results.map(
      (r: { line: number; outcome: string; code?: string }) => `${r.line}:${r.code ?? r.outcome}`,
    ),
    ['2:invite', '3:invalid_email', '4:duplicate', '5:wrong_cohort', '6:email_taken', '7:invite'],
  );
  assert.equal(preview.body.committed, false);
  assert.equal(
    (await ctx.services.db.selectFrom('users').select('id').where('email', '=', 'new.one@learners.example').execute())
      .length,
    0,
    'a preview writes nothing',
  );
  const commit = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { csv, commit: true },
  });
  assert.equal(commit.status, 200, commit.text);
  assert.equal(commit.body.enrolled, 2);
  assert.equal(commit.body.errors, 4);
  assert.ok(commit.body.results[0].link.includes('/invite/'));
  const again = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { csv: 'email,name\nnew.one@learners.example,New One', commit: true },
  });
  assert.equal(again.body.results[0].code, 'already_enrolled');
  const noHeader = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { csv: 'a,b\n1,2', commit: true },
  });
  assert.equal(noHeader.body.error.details[0].code, 'missing_columns');
});

test('learners see no case data and only their own learning', async () => {
  const e1 = await enrol('l1');
  const e2 = await enrol('l2');
  for (const url of [
    '/api/v1/participants',
    '/api/v1/work',
    '/api/v1/instruments',
    '/api/v1/academy/cohorts',
    '/api/v1/academy/grading',
  ])
    assert.equal((await call(ctx.app, 'GET', url, { cookie: t.users.l1!.cookie })).status, 403, url);
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e2}`, { cookie: t.users.l1!.cookie })).status,
    404,
  );
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e2}/lessons/t1-l1/complete`, {
        cookie: t.users.l1!.cookie,
      })
    ).status,
    404,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e1}`, { cookie: other.users.l!.cookie })).status,
    404,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e1}`, { cookie: t.users.cm!.cookie })).status,
    403,
    'case staff are not learners',
  );
  const page = await call(ctx.app, 'GET', `/learn/${e2}/t1-l1`, { cookie: t.users.l1!.cookie });
  assert.equal(page.status, 404);
});

test('gates gate: a locked module refuses lessons, quizzes and assignments, and says why', async () => {
  const me = await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie });
  const e = me.body.items[0].id;
  const outline = await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e}`, { cookie: t.users.l2!.cookie });
  assert.equal(outline.body.progress.modules[1].state, 'locked');
  assert.equal(outline.body.progress.modules[1].requirements[0].code, 'previous_module');
  const l = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/lessons/t2-l1/complete`, {
    cookie: t.users.l2!.cookie,
  });
  assert.deepEqual([l.status, l.body.error.details[0].code], [400, 'module_locked']);
  assert.equal(
    (await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t2/attempts`, { cookie: t.users.l2!.cookie }))
      .status,
    400,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e}/lessons/t2-l1`, { cookie: t.users.l2!.cookie }))
      .status,
    400,
  );
  const fr = await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e}/lessons/t1-l1?locale=fr`, {
    cookie: t.users.l2!.cookie,
  });
  assert.equal(fr.status, 200, fr.text);
  assert.equal(fr.body.fallback, true, 'French lessons fall back to English with a notice');
  const resume = await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie });
  assert.equal(resume.body.items[0].resumeLesson, 't1-l1');
});

test('attempts: no replay, no answers after the timer, never for another learner, items snapshotted without keys', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie })).body.items[0].id;
  const a = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t1/attempts`, {
    cookie: t.users.l2!.cookie,
  });
  assert.equal(a.status, 201, a.text);
  assert.equal(a.body.items.length, course().settings.quiz.items);
  assert.doesNotMatch(JSON.stringify(a.body.items), /"correct"|"answer"|feedback/);
  const again = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t1/attempts`, {
    cookie: t.users.l2!.cookie,
  });
  assert.equal(again.body.id, a.body.id, 'an open attempt is resumed, not redrawn');
  for (const [method, url] of [
    ['GET', `/api/v1/academy/attempts/${a.body.id}`],
    ['POST', `/api/v1/academy/attempts/${a.body.id}/submit`],
  ] as const) {
    assert.equal(
      (await call(ctx.app, method, url, { cookie: t.users.l1!.cookie, headers: { 'if-match': '1' } })).status,
      404,
      `another learner: ${url}`,
    );
  }
  const first = a.body.items[0];
  assert.equal(
    (
      await call(ctx.app, 'PUT', `/api/v1/academy/attempts/${a.body.id}/answers/${first.id}`, {
        cookie: t.users.l1!.cookie,
        body: { value: true },
      })
    ).status,
    404,
  );
  assert.equal(
    (
      await call(ctx.app, 'PUT', `/api/v1/academy/attempts/${a.body.id}/answers/nope`, {
        cookie: t.users.l2!.cookie,
        body: { value: true },
      })
    ).body.error.details[0].code,
    'not_in_attempt',
  );
  await answerAll(a.body.id, t.users.l2!.cookie, false);
  // The clock runs out: the saved answers are graded, nothing more is accepted.
  await ctx.services.db
    .updateTable('academy_attempts')
    .set({ deadline_at: new Date(Date.now() - 60_000) })
    .where('id', '=', a.body.id)
    .execute();
  const late = await call(ctx.app, 'PUT', `/api/v1/academy/attempts/${a.body.id}/answers/${first.id}`, {
    cookie: t.users.l2!.cookie,
    body: { value: true },
  });
  assert.equal(late.body.error.details[0].code, 'attempt_closed');
  const sub = await call(ctx.app, 'POST', `/api/v1/academy/attempts/${a.body.id}/submit`, {
    cookie: t.users.l2!.cookie,
    headers: { 'if-match': String(a.body.version) },
  });
  assert.equal(sub.body.error.details[0].code, 'attempt_expired');
  const review = await call(ctx.app, 'GET', `/api/v1/academy/attempts/${a.body.id}`, { cookie: t.users.l2!.cookie });
  assert.equal(review.body.status, 'expired');
  assert.ok(review.body.review.length > 0);
  assert.equal(review.body.revealed, false, 'attempts remain: no key yet');
  assert.doesNotMatch(JSON.stringify(review.body.review), /correct|feedback/);
  assert.ok(review.body.score < course().settings.quiz.passMark);
  // A fresh attempt, submitted twice: the replay is refused.
  const b = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t1/attempts`, {
    cookie: t.users.l2!.cookie,
  });
  assert.equal(b.body.attemptNo, 2);
  const s1 = await call(ctx.app, 'POST', `/api/v1/academy/attempts/${b.body.id}/submit`, {
    cookie: t.users.l2!.cookie,
    headers: { 'if-match': String(b.body.version) },
  });
  assert.equal(s1.status, 200);
  const s2 = await call(ctx.app, 'POST', `/api/v1/academy/attempts/${b.body.id}/submit`, {
    cookie: t.users.l2!.cookie,
    headers: { 'if-match': String(b.body.version) },
  });
  assert.equal(s2.body.error.details[0].code, 'attempt_closed');
});

test('completing every module issues a certificate, accredits the instrument, and verification tells valid / revoked / unknown', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l1!.cookie })).body.items[0].id;
  let last: { certificateId?: string | null } = {};
  for (const m of course().modules) last = await completeModule(e, m.id, t.users.l1!.cookie);
  assert.ok(last.certificateId, 'the last grade completed the course');
  const certs = await call(ctx.app, 'GET', '/api/v1/academy/certificates', { cookie: t.users.l1!.cookie });
  const cert = certs.body.items[0];
  assert.equal(cert.status, 'valid');
  assert.match(cert.code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  const granted = await ctx.services.db
    .selectFrom('certifications')
    .selectAll()
    .where('user_id', '=', t.users.l1!.id)
    .execute();
  assert.deepEqual(
    granted.map((g) => [g.certification, g.source]),
    [['sanad-spj-template', 'academy']],
  );
  // Public checks: the page and the JSON show name, course, dates — and nothing else.
  const pub = await call(ctx.app, 'GET', `/api/v1/public/certificates/${cert.code.toLowerCase()}`);
  assert.equal(pub.status, 200);
  assert.deepEqual(Object.keys(pub.body).sort(), ['course', 'expiresAt', 'holderName', 'issuedAt', 'issuer', 'status']);
  const html = await call(ctx.app, 'GET', `/verify/${cert.code}?lang=ur`);
  assert.equal(html.status, 200);
  assert.match(html.text, /درست/);
  assert.doesNotMatch(html.text, new RegExp(t.users.l1!.email));
  const unknown = await call(ctx.app, 'GET', '/verify/ZZZZ-ZZZZ-ZZZZ');
  assert.equal(unknown.status, 404);
  assert.doesNotMatch(unknown.text, /l1|Spring/);
  // The credential: signed; a changed byte fails.
  const cred = await call(ctx.app, 'GET', `/api/v1/academy/certificates/${cert.id}/credential`, {
    cookie: t.users.l1!.cookie,
  });
  assert.deepEqual(cred.body.credential.type, ['VerifiableCredential', 'OpenBadgeCredential']);
  const ok = await call(ctx.app, 'POST', '/api/v1/public/credentials/verify', { body: { jws: cred.body.jws } });
  assert.deepEqual([ok.body.verified, ok.body.status], [true, 'valid']);
  const [h, p, sig] = cred.body.jws.split('.');
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
  payload.validUntil = '2099-01-01T00:00:00Z';
  const forged = `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${sig}`;
  assert.equal(
    (await call(ctx.app, 'POST', '/api/v1/public/credentials/verify', { body: { jws: forged } })).body.status,
    'invalid_signature',
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/certificates/${cert.id}/credential`, { cookie: t.users.l2!.cookie }))
      .status,
    404,
  );
  const pdf = await call(ctx.app, 'GET', `/api/v1/academy/certificates/${cert.id}/pdf?locale=ur`, {
    cookie: t.users.l1!.cookie,
  });
  assert.equal(pdf.status, 200);
  assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  // Revocation: status, credential and accreditation all follow.
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/certificates/${cert.id}/revoke`, {
        cookie: t.users.fac!.cookie,
        body: { reason: 'Issued in error' },
      })
    ).status,
    403,
  );
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/certificates/${cert.id}/revoke`, {
        cookie: t.users.coord!.cookie,
        body: { reason: 'Issued in error' },
      })
    ).status,
    204,
  );
  assert.equal((await call(ctx.app, 'GET', `/api/v1/public/certificates/${cert.code}`)).body.status, 'revoked');
  assert.match((await call(ctx.app, 'GET', `/verify/${cert.code}?lang=en`)).text, /Revoked/);
  // Other sites and servers verify without an Origin of ours (CORS, no cookie).
  const foreign = await ctx.app.request('/api/v1/public/credentials/verify', {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://verifier.example' },
    body: JSON.stringify({ jws: cred.body.jws }),
  });
  assert.equal(foreign.status, 200);
  assert.equal(foreign.headers.get('access-control-allow-origin'), '*');
  assert.equal(((await foreign.json()) as { status: string }).status, 'revoked');
  // A token this deployment signed for something else (an audit head) is not a credential.
  const head = await ctx.services.signer.sign(
    { sub: `urn:sanad:certificate:${cert.code}`, jti: `urn:uuid:${cert.id}` },
    'sanad-audit-head',
    ctx.services.db,
  );
  assert.equal(
    (await call(ctx.app, 'POST', '/api/v1/public/credentials/verify', { body: { jws: head } })).body.status,
    'invalid_signature',
  );
  assert.equal(
    (await call(ctx.app, 'POST', '/api/v1/public/credentials/verify', { body: { jws: cred.body.jws } })).body.status,
    'revoked',
  );
  const after = await ctx.services.db
    .selectFrom('certifications')
    .select('revoked_at')
    .where('user_id', '=', t.users.l1!.id)
    .executeTakeFirstOrThrow();
  assert.ok(after.revoked_at);
});

test('grading: only the cohort’s facilitators, rubric in range, once, with the version', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie })).body.items[0].id;
  for (const l of course().modules[0]!.lessons)
    await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/lessons/${l.id}/complete`, {
      cookie: t.users.l2!.cookie,
    });
  const short = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t1/submissions`, {
    cookie: t.users.l2!.cookie,
    body: { body: 'too short' },
  });
  assert.equal(short.status, 400);
  const sub = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t1/submissions`, {
    cookie: t.users.l2!.cookie,
    body: { body: 'A synthetic answer that the facilitator will grade with the rubric and feedback.' },
  });
  assert.equal(sub.status, 201, sub.text);
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/submissions/${sub.body.id}`, { cookie: t.users.fac2!.cookie })).status,
    404,
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/submissions/${sub.body.id}`, { cookie: t.users.l1!.cookie })).status,
    403,
  );
  const queue = await call(ctx.app, 'GET', '/api/v1/academy/grading', { cookie: t.users.fac!.cookie });
  assert.ok(queue.body.items.some((i: { id: string }) => i.id === sub.body.id));
  assert.ok(
    !(await call(ctx.app, 'GET', '/api/v1/academy/grading', { cookie: t.users.fac2!.cookie })).body.items.length,
  );
  const rubric = course().modules[0]!.assignment!.rubric;
  const over = await call(ctx.app, 'POST', `/api/v1/academy/submissions/${sub.body.id}/grade`, {
    cookie: t.users.fac!.cookie,
    body: { rubric: { [rubric[0]!.id]: 99 }, feedback: 'x' },
    headers: { 'if-match': '1' },
  });
  assert.equal(over.status, 400);
  const low = Object.fromEntries(rubric.map((r) => [r.id, 0]));
  const g = await call(ctx.app, 'POST', `/api/v1/academy/submissions/${sub.body.id}/grade`, {
    cookie: t.users.fac!.cookie,
    body: { rubric: low, feedback: 'Please address the family dimension.' },
    headers: { 'if-match': '1' },
  });
  assert.deepEqual([g.status, g.body.passed], [200, false]);
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/submissions/${sub.body.id}/grade`, {
        cookie: t.users.fac!.cookie,
        body: { rubric: low, feedback: 'again' },
        headers: { 'if-match': '2' },
      })
    ).body.error.details[0].code,
    'already_graded',
  );
  const mine = await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e}/modules/t1/assignment`, {
    cookie: t.users.l2!.cookie,
  });
  assert.equal(mine.body.submissions[0].feedback, 'Please address the family dimension.');
  assert.equal(
    (
      await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e}/modules/t1/assignment`, {
        cookie: t.users.l1!.cookie,
      })
    ).status,
    404,
    'not another learner’s answers',
  );
});

test('reports: progress per cohort and country, CSV export with formulas defused', async () => {
  const r = await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: t.users.coord!.cookie });
  assert.ok(r.body.learners.length >= 4);
  const l1 = r.body.learners.find((x: { name: string }) => x.name === 'l1');
  assert.equal(l1.modulesComplete, 6);
  const countries = await call(ctx.app, 'GET', '/api/v1/academy/reports/countries', { cookie: t.users.coord!.cookie });
  assert.equal(countries.body.items[0].memberState, 'PK');
  await ctx.services.db
    .updateTable('users')
    .set({ display_name: '=HYPERLINK("x")' })
    .where('id', '=', t.users.l2!.id)
    .execute();
  const csv = await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}/progress.csv`, {
    cookie: t.users.coord!.cookie,
  });
  assert.equal(csv.status, 200);
  assert.match(csv.headers.get('content-type')!, /text\/csv/);
  assert.match(csv.text, /"'=HYPERLINK/);
  assert.equal(
    (
      await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}/progress.csv`, {
        cookie: other.users.coord!.cookie,
      })
    ).status,
    404,
  );
});

test('the lesson reader page is light, needs login, and marks a lesson read with a plain form', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie })).body.items[0].id;
  const anon = await call(ctx.app, 'GET', `/learn/${e}/t1-l2`);
  assert.equal(anon.status, 303);
  const page = await call(ctx.app, 'GET', `/learn/${e}/t1-l2?lang=ur`, { cookie: t.users.l2!.cookie });
  assert.equal(page.status, 200);
  assert.match(page.text, /<html lang="ur" dir="rtl">/);
  const css = await call(ctx.app, 'GET', '/academy/page.css');
  assert.ok(Buffer.byteLength(page.text) + Buffer.byteLength(css.text) < 100_000, 'html + css under 100 KB');
  const post = await call(ctx.app, 'POST', `/learn/${e}/t1-l2/complete`, {
    cookie: t.users.l2!.cookie,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(post.status, 303);
  const forged = await call(ctx.app, 'POST', `/learn/${e}/t1-l2/complete`, {
    cookie: t.users.l2!.cookie,
    headers: { origin: 'https://evil.example' },
  });
  assert.equal(forged.status, 403);
});

test('concurrency and self-service limits: two graders, one grade; no self-granted attempts; start date fixed once learners progress', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie })).body.items[0].id;
  const sub = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/t1/submissions`, {
    cookie: t.users.l2!.cookie,
    body: { body: 'A second synthetic answer, revised after the facilitator asked about the family dimension.' },
  });
  assert.equal(sub.status, 201, sub.text);
  const rubric = Object.fromEntries(course().modules[0]!.assignment!.rubric.map((r) => [r.id, r.maxPoints]));
  const both = await Promise.all(
    [t.users.fac!, t.users.coord!].map((u) =>
      call(ctx.app, 'POST', `/api/v1/academy/submissions/${sub.body.id}/grade`, {
        cookie: u.cookie,
        body: { rubric, feedback: 'Good.' },
        headers: { 'if-match': '1' },
      }),
    ),
  );
  assert.equal(both.filter((r) => r.status === 200).length, 1, 'exactly one grade');
  assert.ok(
    both.some((r) => r.status === 409 || r.body.error?.details?.[0]?.code === 'already_graded'),
    'the other is told it is stale or already graded',
  );
  const events = await ctx.services.db
    .selectFrom('academy_events')
    .select('id')
    .where('ref', '=', sub.body.id)
    .execute();
  assert.equal(events.length, 1);
  // A coordinator enrolled as a learner cannot give themselves attempts.
  const self = await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${cohortId}/enrolments`, {
    cookie: t.users.coord!.cookie,
    body: { email: t.users.coord!.email, name: 'coord' },
  });
  assert.equal(self.status, 200, self.text);
  const ownE = (
    await ctx.services.db
      .selectFrom('academy_enrolments')
      .select('id')
      .where('user_id', '=', t.users.coord!.id)
      .executeTakeFirstOrThrow()
  ).id;
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${ownE}/grants`, {
        cookie: t.users.coord!.cookie,
        body: { moduleId: 't1', count: 5 },
      })
    ).status,
    403,
  );
  const roles = await ctx.services.db
    .selectFrom('audit_events')
    .select('details')
    .where('entity_id', '=', t.users.coord!.id)
    .where('action', '=', 'user.update')
    .execute();
  assert.equal(roles.length, 1, 'adding the learner role is audited');
  const co = await call(ctx.app, 'GET', `/api/v1/academy/cohorts/${cohortId}`, { cookie: t.users.coord!.cookie });
  const moved = await call(ctx.app, 'PATCH', `/api/v1/academy/cohorts/${cohortId}`, {
    cookie: t.users.coord!.cookie,
    body: {
      name: 'Spring intake',
      memberState: 'PK',
      language: 'ur',
      startsOn: '2026-03-01',
      endsOn: '2026-12-20',
      capacity: 30,
      facilitatorIds: [t.users.fac!.id],
    },
    headers: { 'if-match': String(co.body.version) },
  });
  assert.deepEqual([moved.status, moved.body.error?.details?.[0]?.code], [400, 'cohort_started']);
  const renamed = await call(ctx.app, 'PATCH', `/api/v1/academy/cohorts/${cohortId}`, {
    cookie: t.users.coord!.cookie,
    body: {
      name: 'Spring intake',
      memberState: 'PK',
      language: 'ur',
      startsOn: '2026-01-05',
      endsOn: '2026-12-31',
      capacity: 30,
      facilitatorIds: [t.users.fac!.id],
    },
    headers: { 'if-match': String(co.body.version) },
  });
  assert.equal(renamed.status, 200, renamed.text);
});

test('the public verify page escapes what it shows and answers unknown and malformed codes alike', async () => {
  const a = await call(ctx.app, 'GET', '/verify/0000-0000-0000');
  const b = await call(ctx.app, 'GET', '/verify/not-a-code!!');
  assert.equal(a.status, 404);
  assert.equal(b.status, 404);
  assert.equal(a.text.replace(/value="[^"]*"/g, ''), b.text.replace(/value="[^"]*"/g, ''));
  const j1 = await call(ctx.app, 'GET', '/api/v1/public/certificates/0000-0000-0000');
  const j2 = await call(ctx.app, 'GET', '/api/v1/public/certificates/%3Cscript%3E');
  assert.deepEqual([j1.status, j2.status], [404, 404]);
  assert.equal(j1.body.error.code, j2.body.error.code);
  const c = await call(ctx.app, 'GET', '/verify?code=%3Cscript%3Ealert(1)%3C/script%3E');
  assert.doesNotMatch(c.text, /<script>/);
});

test('a form post with Origin: null passes only when the browser says same-origin', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie })).body.items[0].id;
  const same = await call(ctx.app, 'POST', `/learn/${e}/t1-l3/complete`, {
    cookie: t.users.l2!.cookie,
    headers: { origin: 'null', 'sec-fetch-site': 'same-origin' },
  });
  assert.equal(same.status, 303);
  const cross = await call(ctx.app, 'POST', `/learn/${e}/t1-l3/complete`, {
    cookie: t.users.l2!.cookie,
    headers: { origin: 'null', 'sec-fetch-site': 'cross-site' },
  });
  assert.equal(cross.status, 403);
});

test('a lesson of a locked module on the reader page leads back to the course, which says why', async () => {
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: t.users.l2!.cookie })).body.items[0].id;
  const r = await call(ctx.app, 'GET', `/learn/${e}/t3-l1`, { cookie: t.users.l2!.cookie });
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), `/learning/${e}`);
});

test('answers, feedback and revocation reasons are ciphertext at rest, bound to their row; learner and grader read the text; older plaintext is encrypted once', async () => {
  const u = await makeTenant(ctx.services, {
    coord: { roles: ['coordinator'] },
    fac: { roles: ['facilitator'] },
    l: { roles: ['learner'] },
  });
  const co = await call(ctx.app, 'POST', '/api/v1/academy/cohorts', {
    cookie: u.users.coord!.cookie,
    body: {
      name: 'Cipher intake',
      memberState: 'PK',
      language: 'en',
      startsOn: '2026-01-05',
      endsOn: '2026-12-20',
      capacity: 5,
      facilitatorIds: [u.users.fac!.id],
    },
  });
  assert.equal(co.status, 201, co.text);
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/cohorts/${co.body.id}/enrolments`, {
        cookie: u.users.coord!.cookie,
        body: { email: u.users.l!.email, name: 'l' },
      })
    ).status,
    200,
  );
  const e = (await call(ctx.app, 'GET', '/api/v1/academy/me', { cookie: u.users.l!.cookie })).body.items[0].id;
  const m = course().modules[0]!;
  for (const l of m.lessons)
    await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/lessons/${l.id}/complete`, {
      cookie: u.users.l!.cookie,
    });
  const ANSWER = 'CANARY-ANSWER: the family of the fictional participant would be approached through the imam first.';
  const FEEDBACK = 'CANARY-FEEDBACK: consider the mother’s view.';
  const sub = await call(ctx.app, 'POST', `/api/v1/academy/enrolments/${e}/modules/${m.id}/submissions`, {
    cookie: u.users.l!.cookie,
    body: { body: ANSWER },
  });
  assert.equal(sub.status, 201, sub.text);
  const raw = () =>
    ctx.services.db
      .selectFrom('academy_submissions')
      .selectAll()
      .where('id', '=', sub.body.id)
      .executeTakeFirstOrThrow();
  let row = await raw();
  assert.ok(Buffer.isBuffer(row.body), 'the answer is bytea');
  assert.ok(!row.body.includes('CANARY'), 'no plaintext at rest');
  assert.equal(row.body_legacy, null);
  const ref = (field: string, rowId = row.id) => ({ tenantId: u.tenantId, table: 'academy_submissions', field, rowId });
  assert.equal(await ctx.services.fields.decrypt(ref('body'), row.body, ctx.services.db), ANSWER);
  await assert.rejects(ctx.services.fields.decrypt(ref('feedback'), row.body, ctx.services.db), 'bound to its field');
  await assert.rejects(
    ctx.services.fields.decrypt(ref('body', crypto.randomUUID()), row.body, ctx.services.db),
    'bound to its row',
  );

  const open = await call(ctx.app, 'GET', `/api/v1/academy/submissions/${sub.body.id}`, {
    cookie: u.users.fac!.cookie,
  });
  assert.equal(open.body.body, ANSWER, 'the grader reads the answer');
  const rubric = Object.fromEntries(m.assignment!.rubric.map((r) => [r.id, r.maxPoints]));
  const g = await call(ctx.app, 'POST', `/api/v1/academy/submissions/${sub.body.id}/grade`, {
    cookie: u.users.fac!.cookie,
    body: { rubric, feedback: FEEDBACK },
    headers: { 'if-match': String(open.body.version) },
  });
  assert.equal(g.status, 200, g.text);
  row = await raw();
  assert.ok(Buffer.isBuffer(row.feedback) && !row.feedback.includes('CANARY'), 'feedback is ciphertext');
  assert.equal(row.feedback_legacy, null);
  const mine = await call(ctx.app, 'GET', `/api/v1/academy/enrolments/${e}/modules/${m.id}/assignment`, {
    cookie: u.users.l!.cookie,
  });
  assert.deepEqual(
    [mine.body.submissions[0].body, mine.body.submissions[0].feedback],
    [ANSWER, FEEDBACK],
    'the learner reads both',
  );
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/submissions/${sub.body.id}`, { cookie: u.users.fac!.cookie })).body
      .feedback,
    FEEDBACK,
  );

  // Revocation reasons: a certificate row of this enrolment (issuing one needs the whole course).
  const certId = crypto.randomUUID();
  const code = `${crypto.randomBytes(2).toString('hex').toUpperCase()}-CERT-TEST`;
  await ctx.services.db
    .insertInto('academy_certificates')
    .values({
      id: certId,
      tenant_id: u.tenantId,
      user_id: u.users.l!.id,
      enrolment_id: e,
      course_id: course().settings.id,
      code,
      holder_name: 'l',
      issued_at: new Date(),
      expires_at: new Date(Date.now() + 86_400_000),
      credential: 'x.y.z',
    })
    .execute();
  assert.equal(
    (
      await call(ctx.app, 'POST', `/api/v1/academy/certificates/${certId}/revoke`, {
        cookie: u.users.coord!.cookie,
        body: { reason: 'CANARY-REASON: issued to the wrong person' },
      })
    ).status,
    204,
  );
  const cert = await ctx.services.db
    .selectFrom('academy_certificates')
    .select(['revoked_reason', 'revoked_reason_legacy'])
    .where('id', '=', certId)
    .executeTakeFirstOrThrow();
  assert.ok(Buffer.isBuffer(cert.revoked_reason) && !cert.revoked_reason.includes('CANARY'));
  assert.equal(
    await ctx.services.fields.decrypt(
      { tenantId: u.tenantId, table: 'academy_certificates', field: 'revoked_reason', rowId: certId },
      cert.revoked_reason,
      ctx.services.db,
    ),
    'CANARY-REASON: issued to the wrong person',
  );

  // A row written before migration 0006 holds plaintext; it reads as before and the one-time step encrypts it.
  const old = await ctx.services.db
    .insertInto('academy_submissions')
    .values({
      tenant_id: u.tenantId,
      enrolment_id: e,
      user_id: u.users.l!.id,
      module_id: course().modules[1]!.id,
      assignment_id: 'legacy',
      body_legacy: 'CANARY-OLD answer from before the migration',
      status: 'graded',
      feedback_legacy: 'CANARY-OLD feedback',
      passed: false,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await ctx.services.db
    .updateTable('academy_certificates')
    .set({ revoked_reason: null, revoked_reason_legacy: 'CANARY-OLD reason' })
    .where('id', '=', certId)
    .execute();
  assert.equal(
    (await call(ctx.app, 'GET', `/api/v1/academy/submissions/${old.id}`, { cookie: u.users.fac!.cookie })).body.body,
    'CANARY-OLD answer from before the migration',
  );
  assert.ok((await encryptLegacyAcademyText(ctx.services.db, ctx.services.fields)) >= 2);
  const migrated = await ctx.services.db
    .selectFrom('academy_submissions')
    .selectAll()
    .where('id', '=', old.id)
    .executeTakeFirstOrThrow();
  assert.deepEqual([migrated.body_legacy, migrated.feedback_legacy], [null, null]);
  assert.ok(
    Buffer.isBuffer(migrated.body) &&
      !migrated.body.includes('CANARY') &&
      Buffer.isBuffer(migrated.feedback) &&
      !migrated.feedback.includes('CANARY'),
  );
  const reread = await call(ctx.app, 'GET', `/api/v1/academy/submissions/${old.id}`, { cookie: u.users.fac!.cookie });
  assert.deepEqual(
    [reread.body.body, reread.body.feedback],
    ['CANARY-OLD answer from before the migration', 'CANARY-OLD feedback'],
  );
  const oldCert = await ctx.services.db
    .selectFrom('academy_certificates')
    .select(['revoked_reason', 'revoked_reason_legacy'])
    .where('id', '=', certId)
    .executeTakeFirstOrThrow();
  assert.equal(oldCert.revoked_reason_legacy, null);
  assert.equal(
    await ctx.services.fields.decrypt(
      { tenantId: u.tenantId, table: 'academy_certificates', field: 'revoked_reason', rowId: certId },
      oldCert.revoked_reason!,
      ctx.services.db,
    ),
    'CANARY-OLD reason',
  );
  assert.equal(await encryptLegacyAcademyText(ctx.services.db, ctx.services.fields), 0, 'idempotent');
  const stray = await sql<{
    n: number;
  }>`select count(*)::int as n from academy_submissions where body_legacy is not null or feedback_legacy is not null`.execute(
    ctx.services.db,
  );
  assert.equal(stray.rows[0]!.n, 0);
});
