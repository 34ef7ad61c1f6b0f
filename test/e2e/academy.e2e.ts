/**
 * The academy in Debian's Chromium, once in English and once in Urdu: a learner whose first five
 * modules are done (through the API, as a quick set-up) reads the last module's lessons on the
 * server-rendered reader (a plain form marks each read; the page weighs well under 100 KB with its
 * font), takes the quiz in the app (timer, autosave, submit, review), sends the case assignment; the
 * facilitator grades it on the grading screen; the learner finds the certificate and checks it on the
 * public verification page, signed out. Screenshots left-to-right and right-to-left; axe clean.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BrowserContext, Page } from 'playwright-core';
import type { SnapshotItem } from '../../src/core/quiz.ts';
import { academy } from '../../src/server/content.ts';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { hashPassword } from '../../src/server/modules/auth/passwords.ts';
import { axe, pageApi, shot, until, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();
const course = () => academy().course;

async function signIn(
  email: string,
  locale: 'en' | 'ur',
): Promise<{ ctx: BrowserContext; page: Page; errors: string[] }> {
  // The sign-in page follows the browser's language; sign in in English, then switch the preference.
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: 1200, height: 900 } });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  await page.goto(`${h.base}/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await pageApi(page, 'PATCH', '/api/v1/me/preferences', { locale });
  return { ctx, page, errors };
}

async function snapshotOf(attemptId: string): Promise<SnapshotItem[]> {
  const row = await h.running.services.db
    .selectFrom('academy_attempts')
    .select('items')
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
  return row.items as SnapshotItem[];
}

type Right = { choice: string } | { choices: string[] } | { value: boolean } | { pairs: Record<string, string> };

/** The right answer for an item, in the API's shape. */
function rightAnswer(i: SnapshotItem): Right {
  if (i.kind === 'truefalse') return { value: i.answer! };
  if (i.kind === 'multiple') return { choices: i.options!.filter((o) => o.correct).map((o) => o.id) };
  if (i.kind === 'matching')
    return { pairs: Object.fromEntries(i.lefts!.map((l) => [l.id, i.rights!.find((r) => r.pair === l.pair)!.id])) };
  return { choice: i.options!.find((o) => o.correct)!.id };
}

/** Modules 1..n done through the API: lessons, quiz, assignment graded by the facilitator. */
async function completeThroughApi(learner: Page, facilitator: Page, enrolment: string, n: number) {
  for (const m of course().modules.slice(0, n)) {
    for (const l of m.lessons)
      await pageApi(learner, 'POST', `/api/v1/academy/enrolments/${enrolment}/lessons/${l.id}/complete`);
    const a = await pageApi(learner, 'POST', `/api/v1/academy/enrolments/${enrolment}/modules/${m.id}/attempts`);
    for (const i of await snapshotOf(a.id))
      await pageApi(learner, 'PUT', `/api/v1/academy/attempts/${a.id}/answers/${i.id}`, rightAnswer(i));
    await pageApi(learner, 'POST', `/api/v1/academy/attempts/${a.id}/submit`, undefined, a.version);
    const sub = await pageApi(learner, 'POST', `/api/v1/academy/enrolments/${enrolment}/modules/${m.id}/submissions`, {
      body: 'A synthetic answer to the case scenario, long enough for the facilitator to grade it.',
    });
    const g = await pageApi(facilitator, 'GET', `/api/v1/academy/submissions/${sub.id}`);
    await pageApi(
      facilitator,
      'POST',
      `/api/v1/academy/submissions/${sub.id}/grade`,
      { rubric: Object.fromEntries(m.assignment!.rubric.map((r) => [r.id, r.maxPoints])), feedback: 'Well argued.' },
      g.version,
    );
  }
}

async function run(locale: 'en' | 'ur', email: string) {
  const dir = locale === 'ur' ? 'rtl' : 'ltr';
  const fac = await signIn(demoEmail('facilitator'), 'en');
  const me = await signIn(email, locale);
  const { page } = me;
  const enrolment = (await pageApi(page, 'GET', '/api/v1/academy/me')).items[0].id as string;
  await completeThroughApi(page, fac.page, enrolment, 5);
  const last = course().modules[5]!;

  // My learning → Continue opens the first unread lesson of module 6 on the reader page.
  await page.goto(`${h.base}/learning`);
  await page.locator('main').waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), dir);
  await axe(page, `${locale} my learning`);
  await shot(page, `${locale}-academy-my-learning`);
  let bytes = 0;
  page.on('response', async (r) => {
    if (new URL(r.url()).pathname.startsWith('/learn') || r.url().includes('/academy/'))
      bytes += (await r.body().catch(() => Buffer.alloc(0))).length;
  });
  await page.locator(`a[href="/learn/${enrolment}/${last.lessons[0]!.id}"]`).first().click();
  await page.waitForURL(`**/learn/${enrolment}/${last.lessons[0]!.id}`);
  await page.waitForLoadState('networkidle');
  assert.ok(bytes < 100_000, `a lesson with its stylesheet and font weighs ${bytes} bytes`);
  assert.equal(await page.locator('html').getAttribute('lang'), locale);
  assert.equal(await page.locator('html').getAttribute('dir'), dir);
  await axe(page, `${locale} lesson`);
  await shot(page, `${locale}-academy-lesson`);
  // On a phone: no sideways scrolling.
  await page.setViewportSize({ width: 390, height: 800 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'the lesson fits a phone');
  await shot(page, `${locale}-academy-lesson-phone`);
  await page.setViewportSize({ width: 1200, height: 900 });
  for (const [k] of last.lessons.entries()) {
    await page.locator('form[action$="/complete"] button').click();
    await page.waitForURL(
      k < last.lessons.length - 1 ? `**/learn/${enrolment}/${last.lessons[k + 1]!.id}` : `**/learning/${enrolment}`,
    );
  }

  // The course page: module 6 open with its lessons read; start the quiz.
  await page.locator('main h1').waitFor();
  await axe(page, `${locale} course`);
  await shot(page, `${locale}-academy-course`);
  const outline = await pageApi(page, 'GET', `/api/v1/academy/enrolments/${enrolment}`);
  assert.equal(outline.progress.modules[5].state, 'open');
  assert.deepEqual(
    outline.progress.modules[5].lessonsDone,
    last.lessons.map((l) => l.id),
  );
  const startLabel = locale === 'en' ? 'Start quiz' : await text(page, 'academy.quiz.start', locale);
  await page.getByRole('button', { name: startLabel }).last().click();
  await page
    .getByRole('button', { name: locale === 'en' ? 'Start now' : await text(page, 'academy.quiz.startNow', locale) })
    .click();
  await page.waitForURL(/\/quiz\//);
  await page.getByRole('timer').waitFor();
  const attemptId = page.url().split('/quiz/')[1]!;
  const items = await snapshotOf(attemptId);
  const cards = page.locator('section.quiz-item');
  assert.equal(await cards.count(), items.length);
  for (const [n, i] of items.entries()) {
    const card = cards.nth(n);
    const a = rightAnswer(i);
    if ('choice' in a) await card.locator(`input[value="${a.choice}"]`).check();
    else if ('choices' in a) for (const c of a.choices) await card.locator(`input[value="${c}"]`).check();
    else if ('value' in a) await card.locator(`input[value="${String(a.value)}"]`).check();
    else for (const [k, l] of i.lefts!.entries()) await card.locator('select').nth(k).selectOption(a.pairs[l.id]!);
  }
  await page.waitForFunction(() => !document.body.innerText.includes('Saving…'));
  await axe(page, `${locale} quiz`);
  await shot(page, `${locale}-academy-quiz`);
  // One submit button; every question is answered, so it submits without asking.
  await page
    .getByRole('button', { name: locale === 'en' ? 'Submit answers' : await text(page, 'academy.quiz.submit', locale) })
    .click();
  await page.locator('section.quiz-result').waitFor();
  const closed = await h.running.services.db
    .selectFrom('academy_attempts')
    .select(['status', 'score'])
    .where('id', '=', attemptId)
    .executeTakeFirstOrThrow();
  assert.deepEqual([closed.status, closed.score], ['submitted', 100]);
  await axe(page, `${locale} quiz review`);
  await shot(page, `${locale}-academy-quiz-review`);

  // The case assignment, then the facilitator grades it on the grading screen.
  await page.goto(`${h.base}/learning/${enrolment}/assignment/${last.id}`);
  await page
    .getByLabel(locale === 'en' ? 'Answer' : await text(page, 'academy.assignment.answerLabel', locale), {
      exact: true,
    })
    .fill(
      'My answer to the case: keep the programme voluntary, work with the family and the community, measure re-engagement separately from reconviction, and protect the staff.',
    );
  await page
    .getByRole('button', {
      name: locale === 'en' ? 'Send for grading' : await text(page, 'academy.assignment.submit', locale),
    })
    .click();
  await until(
    async () =>
      (await pageApi(page, 'GET', `/api/v1/academy/enrolments/${enrolment}/modules/${last.id}/assignment`)).submissions
        .length === 1,
    'the answer is sent',
  );
  await axe(page, `${locale} assignment`);
  await shot(page, `${locale}-academy-assignment`);
  const sub = (await pageApi(fac.page, 'GET', '/api/v1/academy/grading')).items.find(
    (x: { moduleId: string; learner: string }) => x.moduleId === last.id,
  );
  assert.ok(sub, 'the answer is in the grading queue');
  await fac.page.goto(`${h.base}/cohorts/grading/${sub.id}`);
  for (const r of last.assignment!.rubric)
    await fac.page.getByLabel(r.criterion.en, { exact: false }).fill(String(r.maxPoints));
  await fac.page.getByLabel('Feedback to the learner').fill('Clear, balanced and well sourced.');
  await fac.page.getByRole('button', { name: 'Save grade' }).click();
  await until(
    async () =>
      (
        await h.running.services.db
          .selectFrom('academy_submissions')
          .select('status')
          .where('id', '=', sub.id)
          .executeTakeFirstOrThrow()
      ).status === 'graded',
    'graded',
  );
  await fac.page
    .getByText(/passed/i)
    .first()
    .waitFor();
  if (locale === 'en') {
    await axe(fac.page, 'grading');
    await shot(fac.page, 'en-academy-grading');
  }

  // The certificate, and its public verification page (signed out, in a fresh browser).
  await page.goto(`${h.base}/learning/certificates`);
  const certs = await pageApi(page, 'GET', '/api/v1/academy/certificates');
  assert.equal(certs.items.length, 1);
  assert.equal(certs.items[0].status, 'valid');
  await page.locator(`a[href="/verify/${certs.items[0].code}"]`).waitFor();
  await axe(page, `${locale} certificates`);
  await shot(page, `${locale}-academy-certificates`);
  const pub = await h.browser.newContext({ locale: locale === 'ur' ? 'ur-PK' : 'en-GB' });
  const vp = await pub.newPage();
  await vp.goto(`${h.base}/verify/${certs.items[0].code}?lang=${locale}`);
  await vp.locator('.status.valid').waitFor();
  assert.equal(await vp.locator('html').getAttribute('dir'), dir);
  assert.match(await vp.locator('dl').innerText(), new RegExp(certs.items[0].holderName));
  await axe(vp, `${locale} verify`);
  await shot(vp, `${locale}-academy-verify`);
  await pub.close();
  assert.deepEqual(me.errors, []);
  await me.ctx.close();
  await fac.ctx.close();
}

/** A UI string in a locale, from the app's own catalogue. */
async function text(_page: Page, key: string, locale: string): Promise<string> {
  const { default: cat } = await import(`../../src/web/i18n/${locale}.json`, { with: { type: 'json' } });
  return (cat as Record<string, string>)[key]!.replace(/\{[^}]+\}/g, '').trim();
}

test('a learner finishes the last module and the quiz in English, gets the certificate and verifies it', async () => {
  await run('en', demoEmail('learner'));
});

test('the same in Urdu, right to left, for a learner enrolled by the coordinator', async () => {
  // A second learner with a password (demo learners otherwise have none): enrolled by the coordinator.
  const db = h.running.services.db;
  const demo = await db.selectFrom('tenants').select('id').where('slug', '=', 'demo').executeTakeFirstOrThrow();
  await db
    .insertInto('users')
    .values({
      tenant_id: demo.id,
      email: 'learner.urdu@demo.sanad.example',
      display_name: 'نمونہ سیکھنے والا',
      roles: ['learner'],
      status: 'active',
      is_demo: true,
      locale: 'ur',
      password_hash: await hashPassword(DEMO_PASSWORD),
    })
    .execute();
  const fac = await signIn(demoEmail('facilitator'), 'en');
  const cohort = (await pageApi(fac.page, 'GET', '/api/v1/academy/cohorts')).items.find(
    (c: { language: string }) => c.language === 'ur',
  );
  await pageApi(fac.page, 'POST', `/api/v1/academy/cohorts/${cohort.id}/enrolments`, {
    email: 'learner.urdu@demo.sanad.example',
    name: 'x',
  });
  await fac.ctx.close();
  await run('ur', 'learner.urdu@demo.sanad.example');
});
