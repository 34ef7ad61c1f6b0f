/**
 * A learner's and a facilitator's day in the academy, in Debian's Chromium, in English and Arabic at
 * 1366 px and on a 390 px phone, with the demo data (the demo learner's cohort started five weeks
 * ago: module 1 is late, module 2 is locked and past its due date). What a reviewer found, each
 * checked here: lateness said in words; a locked module that says why and never "Overdue"; locked
 * and completed modules folded (a keyboard disclosure per module); one quiz submit that asks only
 * when something is unanswered; pending invitations without scores on the facilitator's cohort; a
 * lesson link that survives signing in; and a lesson reader and verification page that look like
 * the app, switch language and fit a phone. Axe clean everywhere; screenshots saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { academy } from '../../src/server/content.ts';
import { demoEmail, DEMO_PASSWORD } from '../../src/server/demo/seed.ts';
import { axe, pageApi, shot, useBrowserHarness } from './harness.ts';

const h = useBrowserHarness();
const course = () => academy().course;

type Lang = 'en' | 'ar';
const SIZES = [
  { name: 'desk', width: 1366, height: 900 },
  { name: 'phone', width: 390, height: 844 },
] as const;

async function cat(locale: Lang): Promise<Record<string, string>> {
  const { default: c } = await import(`../../src/web/i18n/${locale}.json`, { with: { type: 'json' } });
  return c as Record<string, string>;
}

/** A catalogue text without its placeholders (for matching a label). */
async function label(key: string, locale: Lang): Promise<string> {
  return (await cat(locale))[key]!.replace(/\{[^}]+\}/g, '').trim();
}

/** Signs a demo user in (the page follows the browser's language) and sets the UI language. */
async function signIn(email: string, locale: Lang, size: (typeof SIZES)[number], at = '/login') {
  const ctx = await h.browser.newContext({
    locale: locale === 'ar' ? 'ar' : 'en-GB',
    viewport: { width: size.width, height: size.height },
  });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${h.base}${at}`);
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
  await page.locator('form button[type="submit"]').click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { ctx, page, errors };
}

async function setLocale(page: Page, locale: Lang) {
  await pageApi(page, 'PATCH', '/api/v1/me/preferences', { locale });
}

async function noSidewaysScroll(page: Page, what: string) {
  const w = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(w[0]! <= w[1]!, `${what}: no sideways scroll (${w[0]} > ${w[1]})`);
}

async function enrolmentOfDemoLearner(): Promise<string> {
  const row = await h.owner
    .selectFrom('academy_enrolments as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select('e.id')
    .where('u.email', '=', demoEmail('learner'))
    .executeTakeFirstOrThrow();
  return row.id;
}

let attemptId: string | null = null;

/** My learning, the course page and the quiz, as the demo learner. */
async function learnerDay(locale: Lang, size: (typeof SIZES)[number]) {
  const tag = `${locale}-${size.name}`;
  const { ctx, page, errors } = await signIn(demoEmail('learner'), locale, size);
  await setLocale(page, locale);
  const c = await cat(locale);
  const [m1, m2] = course().modules;

  // 1. My learning: "Overdue" says what is late and since when, in words.
  await page.goto(`${h.base}/learning`);
  await page.locator('.learn-card').first().waitFor();
  assert.equal(await page.locator('html').getAttribute('dir'), locale === 'ar' ? 'rtl' : 'ltr');
  const note = page.locator('.learn-card .late-note');
  await note.waitFor();
  const said = (await note.innerText()).replace(/\s+/g, ' ');
  const n1 = c['academy.module.number']!.replace('{n}', '1');
  assert.ok(said.includes(n1), `${tag}: the late module is named: ${said}`);
  assert.ok(said.includes(c['academy.late.quiz']!), `${tag}: the quiz is late: ${said}`);
  assert.match(said, locale === 'en' ? /due .+, \d+ days late/ : /كان الموعد .+، والتأخير/, `${tag}: since when`);
  await axe(page, `${tag} my learning`);
  await noSidewaysScroll(page, `${tag} my learning`);
  await shot(page, `day-${tag}-my-learning`);

  // 2 and 3. The course page: module 1 (current) open and late in words; module 2 locked with its
  // reason, never "Overdue", folded; every module shows its own progress.
  const enrolment = await enrolmentOfDemoLearner();
  await page.goto(`${h.base}/learning/${enrolment}`);
  const card1 = page.locator(`section[aria-labelledby="module-${m1!.id}"]`);
  const card2 = page.locator(`section[aria-labelledby="module-${m2!.id}"]`);
  await card1.waitFor();
  assert.equal(await card1.locator('.late-note').count(), 1, `${tag}: module 1 says what is late`);
  assert.equal(await card2.locator('.chip-module-locked').count(), 1, `${tag}: module 2 is locked`);
  assert.equal(await card2.locator('.chip-overdue').count(), 0, `${tag}: a locked module is not also "Overdue"`);
  assert.equal(await card2.locator('.late-note').count(), 0, `${tag}: nor late in words`);
  const lockText = await card2.locator('.lock-reason').innerText();
  assert.ok(lockText.includes(c['academy.lock.after']!.split('{n}')[0]!.trim()), `${tag}: why locked: ${lockText}`);
  assert.ok(await card2.locator('.lock-reason').isVisible(), `${tag}: the reason shows while folded`);
  const toggle1 = card1.locator('button.module-toggle');
  const toggle2 = card2.locator('button.module-toggle');
  assert.equal(await toggle1.getAttribute('aria-expanded'), 'true', `${tag}: the current module is open`);
  assert.equal(await toggle2.getAttribute('aria-expanded'), 'false', `${tag}: a locked module is folded`);
  assert.equal(await page.locator(`#module-body-${m2!.id}`).isVisible(), false);
  assert.equal(await page.locator('.module-steps').count(), course().modules.length, `${tag}: progress per module`);
  const tall = await page.evaluate(() => document.documentElement.scrollHeight);
  const limit = size.width > 1000 ? 2600 : 5200;
  assert.ok(tall < limit, `${tag}: the course page is ${tall}px tall (under ${limit})`);
  await axe(page, `${tag} course`);
  await noSidewaysScroll(page, `${tag} course`);
  await shot(page, `day-${tag}-course`);
  // The disclosure works from the keyboard and its state is kept per module.
  await toggle2.focus();
  await page.keyboard.press('Enter');
  assert.equal(await toggle2.getAttribute('aria-expanded'), 'true');
  assert.ok(await page.locator(`#module-body-${m2!.id}`).isVisible(), `${tag}: opened on demand`);
  assert.equal(await toggle1.getAttribute('aria-expanded'), 'true', `${tag}: the other module is unchanged`);
  await axe(page, `${tag} course, module 2 open`);
  await page.keyboard.press('Space');
  assert.equal(await toggle2.getAttribute('aria-expanded'), 'false');

  // 4. The quiz: one submit button; with questions unanswered it asks first.
  if (!attemptId) {
    await card1.getByRole('button', { name: await label('academy.quiz.start', locale) }).click();
    await page.getByRole('button', { name: c['academy.quiz.startNow']! }).click();
    await page.waitForURL(/\/quiz\//);
    attemptId = page.url().split('/quiz/')[1]!;
  } else await page.goto(`${h.base}/learning/${enrolment}/quiz/${attemptId}`);
  await page.getByRole('timer').waitFor();
  const submits = page.getByRole('button', { name: c['academy.quiz.submit']!, exact: true });
  assert.equal(await submits.count(), 1, `${tag}: one "${c['academy.quiz.submit']}" button`);
  await submits.click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  const asks = await dialog.innerText();
  assert.ok(
    asks.includes(String(course().settings.quiz.items)) || /\d/.test(asks),
    `${tag}: the confirmation says how many are unanswered: ${asks}`,
  );
  await axe(page, `${tag} quiz confirmation`);
  await shot(page, `day-${tag}-quiz-confirm`);
  await dialog.getByRole('button', { name: c['academy.quiz.keepWorking']! }).click();
  await noSidewaysScroll(page, `${tag} quiz`);
  await axe(page, `${tag} quiz`);
  await shot(page, `day-${tag}-quiz`);
  assert.deepEqual(errors, []);
  await ctx.close();
}

test('the learner: lateness in words, locked never overdue, folded modules, one quiz submit (en, ar; 1366, 390)', async () => {
  for (const locale of ['en', 'ar'] as const) for (const size of SIZES) await learnerDay(locale, size);
});

test('the facilitator: a pending invitation shows no scores, only when it was sent (en, ar; 1366, 390)', async () => {
  for (const locale of ['en', 'ar'] as const)
    for (const size of SIZES) {
      const tag = `${locale}-${size.name}`;
      const { ctx, page, errors } = await signIn(demoEmail('facilitator'), locale, size);
      await setLocale(page, locale);
      const c = await cat(locale);
      const cohorts = await pageApi(page, 'GET', '/api/v1/academy/cohorts');
      const id = (cohorts.items as { id: string; language: string }[]).find((x) => x.language === 'ur')!.id;
      // The server sends no progress for pending rows.
      const detail = await pageApi(page, 'GET', `/api/v1/academy/cohorts/${id}`);
      const pendingRows = (
        detail.learners as { name: string; account: string; grades: object; modulesComplete: unknown }[]
      ).filter((l) => l.account === 'invited');
      assert.ok(pendingRows.length > 0, 'the demo cohort has pending invitations');
      for (const r of pendingRows) assert.deepEqual([r.grades, r.modulesComplete], [{}, null]);
      await page.goto(`${h.base}/cohorts/${id}`);
      const row = page.locator('tr', { hasText: pendingRows[0]!.name });
      await row.waitFor();
      const rowText = await row.innerText();
      assert.ok(rowText.includes(c['academy.account.invited']!), `${tag}: ${rowText}`);
      assert.ok(rowText.includes(c['academy.pending.sentOn']!), `${tag}: when it was sent: ${rowText}`);
      assert.doesNotMatch(rowText, /%|٪/, `${tag}: no quiz score for a pending invitation: ${rowText}`);
      assert.equal(await row.locator('progress').count(), 0, `${tag}: no progress bar`);
      // A late learner's row says which module is late and by how much, not just "Overdue".
      const lateRow = await page.locator('tr', { hasText: 'Demo Learner' }).innerText();
      assert.match(lateRow, locale === 'en' ? /Module 1, \d+ days late/ : /الوحدة 1، متأخرة/, `${tag}: ${lateRow}`);
      await axe(page, `${tag} cohort`);
      await shot(page, `day-${tag}-cohort`);
      assert.deepEqual(errors, []);
      await ctx.close();
    }
});

test('a lesson link opened signed out comes back to the lesson after sign-in; hostile next goes home', async () => {
  const enrolment = await enrolmentOfDemoLearner();
  const lesson = course().modules[0]!.lessons[1]!.id;
  for (const size of SIZES) {
    const ctx = await h.browser.newContext({ locale: 'en-GB', viewport: { width: size.width, height: size.height } });
    const page = await ctx.newPage();
    await page.goto(`${h.base}/learn/${enrolment}/${lesson}?lang=ar`);
    await page.waitForURL(/\/login\?next=/);
    assert.equal(new URL(page.url()).searchParams.get('next'), `/learn/${enrolment}/${lesson}?lang=ar`);
    await page.locator('input[name="email"]').fill(demoEmail('learner'));
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => u.pathname === `/learn/${enrolment}/${lesson}`);
    assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
    await ctx.close();
  }
  for (const bad of ['//evil.example/x', '/%2F%2Fevil.example', 'https://evil.example/', '/\\evil.example']) {
    const ctx = await h.browser.newContext({ locale: 'en-GB' });
    const page = await ctx.newPage();
    await page.goto(`${h.base}/login?next=${encodeURIComponent(bad)}`);
    await page.locator('input[name="email"]').fill(demoEmail('learner'));
    await page.locator('input[name="password"]').fill(DEMO_PASSWORD);
    await page.locator('form button[type="submit"]').click();
    await page.waitForURL((u) => !u.pathname.startsWith('/login'));
    const u = new URL(page.url());
    assert.equal(u.origin, h.base, `${bad}: stays on Sanad`);
    assert.equal(u.pathname, '/learning', `${bad}: goes to the learner's home`);
    await ctx.close();
  }
});

test('the lesson reader and the verification page look like the app, switch language and fit a phone', async () => {
  const enrolment = await enrolmentOfDemoLearner();
  const lesson = course().modules[0]!.lessons[0]!.id;
  for (const locale of ['en', 'ar'] as const)
    for (const size of SIZES) {
      const tag = `${locale}-${size.name}`;
      const { ctx, page } = await signIn(demoEmail('learner'), locale, size);
      await page.goto(`${h.base}/learn/${enrolment}/${lesson}?lang=${locale}`);
      await page.locator('main h1').waitFor();
      assert.equal(await page.locator('html').getAttribute('dir'), locale === 'ar' ? 'rtl' : 'ltr');
      // The app's top bar: white surface, the brand mark in the app's primary colour, the app's font.
      const look = await page.evaluate(() => ({
        bar: getComputedStyle(document.querySelector('header')!).backgroundColor,
        mark: getComputedStyle(document.querySelector('.brand-mark')!).backgroundColor,
        font: getComputedStyle(document.body).fontFamily,
      }));
      assert.equal(look.bar, 'rgb(255, 255, 255)', `${tag}: header like the app's`);
      assert.equal(look.mark, 'rgb(11, 92, 107)', `${tag}: the app's primary colour`);
      assert.match(look.font, locale === 'ar' ? /Naskh/ : /Sans/, `${tag}: the app's font`);
      // The language switch keeps the page.
      const langs = page.getByRole('navigation', { name: locale === 'ar' ? 'اللغة' : 'Language' });
      assert.equal(await langs.getByRole('link').count(), 4);
      const other = locale === 'ar' ? 'English' : 'العربية';
      await langs.getByRole('link', { name: other }).click();
      await page.waitForURL((u) => u.pathname === `/learn/${enrolment}/${lesson}`);
      assert.equal(await page.locator('html').getAttribute('dir'), locale === 'ar' ? 'ltr' : 'rtl');
      await page.goBack();
      await page.locator('main h1').waitFor();
      // The main action: a large target; a readable line length; no sideways scroll.
      const button = page.locator('form.complete button');
      const box = (await button.boundingBox())!;
      assert.ok(box.height >= 44, `${tag}: the button is ${box.height}px tall`);
      if (size.width < 500)
        assert.ok(box.width >= size.width - 64, `${tag}: the button spans the phone (${box.width}px)`);
      const measure = await page.evaluate(() => {
        const el = document.querySelector('article.lesson')!;
        const cs = getComputedStyle(el);
        return el.getBoundingClientRect().width / parseFloat(cs.fontSize);
      });
      assert.ok(measure <= 45, `${tag}: line length ${measure.toFixed(1)}em`);
      await noSidewaysScroll(page, `${tag} lesson`);
      await axe(page, `${tag} lesson`);
      await shot(page, `day-${tag}-lesson`);

      // The public verification page, in the app's colours, with the product name in the language.
      await page.goto(`${h.base}/verify?lang=${locale}`);
      await page.locator('main h1').waitFor();
      const body = await page.locator('body').innerText();
      if (locale === 'ar') {
        assert.ok(body.includes('أكاديمية سند'), 'the product name in Arabic letters');
        assert.doesNotMatch(body, /Sanad/, 'no Latin product name on the Arabic page');
      } else assert.ok(body.includes('Sanad Academy'));
      assert.equal(await page.locator('html').getAttribute('dir'), locale === 'ar' ? 'rtl' : 'ltr');
      await noSidewaysScroll(page, `${tag} verify`);
      await axe(page, `${tag} verify`);
      await shot(page, `day-${tag}-verify`);
      await ctx.close();
    }
});
