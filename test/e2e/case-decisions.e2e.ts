/**
 * Decisions and forms on a case in Debian's Chromium, at 1366 px and 390 px, in English and Arabic:
 * the goal dialog preselects no domain and a missing one takes focus; a refused intake step moves focus
 * to its first invalid field; the date field's calendar button shows a focus ring; Hijri dates and
 * participant codes stay on one line; withdrawing consent, overriding the gates and moving a phase back
 * each ask for confirmation (Escape sends nothing, confirming sends one request and says what happened);
 * the session form fits a phone. Axe on every screen, screenshots saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { demoEmail } from '../../src/server/demo/seed.ts';
import {
  axe,
  pageApi,
  shot,
  useBrowserHarness,
  signInDemo,
  catalogue,
  COMBOS,
  SIZES,
  type Lang,
  type Size,
  startsWith,
} from './harness.ts';

const h = useBrowserHarness();
const session = (email: string) => signInDemo(h, email, SIZES.desk);

/** Sets the saved language (and so the direction) and the viewport. */
async function use(page: Page, lang: Lang, size: Size) {
  await page.setViewportSize(SIZES[size]);
  await pageApi(page, 'PATCH', '/api/v1/me/preferences', { locale: lang });
  await page.reload();
  await page.waitForFunction((d) => document.documentElement.dir === d, lang === 'ar' ? 'rtl' : 'ltr');
}

/** What the focused element is: its id, invalid state and the text of what it is described by. */
async function focused(page: Page) {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    const ids = (el?.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean);
    return {
      id: el?.id ?? '',
      tag: el?.tagName.toLowerCase() ?? '',
      invalid: el?.getAttribute('aria-invalid') ?? '',
      described: ids.map((i) => document.getElementById(i)?.textContent ?? '').join(' '),
    };
  });
}

/** A Team A participant with a given services consent, registered through the API (case manager). */
async function freshCase(page: Page, givenName: string): Promise<{ id: string; code: string }> {
  const teams = await pageApi<{ items: { id: string; mine: boolean }[] }>(page, 'GET', '/api/v1/teams');
  const programs = await pageApi<{ items: { id: string; status: string }[] }>(page, 'GET', '/api/v1/programs');
  const p = await pageApi<{ id: string; code: string }>(page, 'POST', '/api/v1/participants', {
    programId: programs.items.find((x) => x.status === 'active')!.id,
    teamId: teams.items.find((x) => x.mine)!.id,
    legalStatus: 'convicted',
    identity: { givenName, familyName: 'Decisiontest' },
  });
  await pageApi(page, 'POST', `/api/v1/participants/${p.id}/consents`, {
    purpose: 'services',
    legalBasis: 'consent',
    givenOn: '2026-11-02',
    source: 'Signed form',
  });
  await pageApi(page, 'POST', '/api/v1/sessions', {
    kind: 'individual',
    discipline: 'case_manager',
    occurredAt: '2026-11-20T09:30:00.000Z',
    durationMinutes: 45,
    attendees: [{ participantId: p.id, attendance: 'present', engagement: 4, goalIds: [] }],
  });
  return p;
}

/** Every date and code on the page sits on one line (its boxes side by side, about one line high). */
async function oneLine(page: Page, where: string) {
  const boxes = await page.locator('main time, main .code').evaluateAll((els) =>
    els
      .filter((el) => (el as HTMLElement).offsetParent !== null)
      .map((el) => {
        const cs = getComputedStyle(el);
        const line = cs.lineHeight === 'normal' ? parseFloat(cs.fontSize) * 1.6 : parseFloat(cs.lineHeight);
        // Bidi runs (Arabic words and digits) are boxes of their own, on one line they share a top.
        const tops = [...el.getClientRects()].map((r) => r.top);
        return {
          text: el.textContent,
          spread: Math.max(...tops) - Math.min(...tops),
          h: el.getBoundingClientRect().height,
          line,
        };
      }),
  );
  assert.ok(boxes.length > 0, `${where}: dates or codes shown`);
  for (const b of boxes) {
    assert.ok(b.spread < b.line / 2, `${where}: “${b.text}” on one line (its boxes ${b.spread}px apart)`);
    assert.ok(b.h <= b.line * 1.5, `${where}: “${b.text}” is ${b.h}px high (line ${b.line}px)`);
  }
}

/** No sideways scroll of the page. */
async function noSideways(page: Page, where: string) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 1, `${where}: the page scrolls sideways by ${over}px`);
}

test(
  'forms: no preselected domain, focus on the first invalid field, focus ring on the calendar button (en, ar; 1366, 390)',
  { timeout: 400_000 },
  async () => {
    const cm = await session(demoEmail('case.manager'));
    const page = cm.page;
    const p = await freshCase(page, 'Formfocusan');
    for (const [lang, size] of COMBOS) {
      const m = catalogue(lang);
      const tag = `${lang}-${size}`;
      await use(page, lang, size);

      // The goal dialog: no domain until the user chooses; saving without one focuses the field.
      await page.goto(`${h.base}/cases/${p.id}?tab=plan`);
      await page.getByRole('button', { name: m('goal.add'), exact: true }).click();
      const gd = page.getByRole('dialog');
      const domain = gd.getByLabel(m('goal.domain'));
      assert.equal(await domain.inputValue(), '', `${tag}: no domain preselected`);
      await gd.getByLabel(m('goal.title'), { exact: true }).fill('Finish the literacy course');
      await gd.getByRole('button', { name: m('action.save'), exact: true }).click();
      await page.waitForFunction((id) => document.activeElement?.id === id, await domain.getAttribute('id'));
      const f = await focused(page);
      assert.equal(f.invalid, 'true', `${tag}: the domain is marked invalid`);
      assert.ok(f.described.includes(m('field.required')), `${tag}: the domain says why (${f.described})`);
      await axe(page, `goal dialog, missing domain (${tag})`);
      await shot(page, `${tag}-goal-domain-required`);
      await page.keyboard.press('Escape');
      await gd.waitFor({ state: 'hidden' });

      // The intake wizard: Next on an empty program step moves focus to the program field.
      await page.goto(`${h.base}/cases/new`);
      await page.evaluate(() => sessionStorage.removeItem('sanad.intake.draft'));
      await page.reload();
      await page.getByLabel(m('identity.givenName')).fill('Zorvanel');
      await page.getByLabel(m('identity.familyName')).fill('Quintavex');
      await page.getByRole('button', { name: m('intake.search.run') }).click();
      await page.getByRole('button', { name: m('intake.search.continue') }).click();
      const program = page.getByLabel(m('intake.program'));
      await program.waitFor();
      const next = page.getByRole('button', { name: m('intake.next'), exact: true });
      await next.click();
      await page.waitForFunction((id) => document.activeElement?.id === id, await program.getAttribute('id'));
      const pf = await focused(page);
      assert.equal(pf.tag, 'select', `${tag}: focus left the Next button`);
      assert.equal(pf.invalid, 'true');
      assert.ok(pf.described.includes(m('field.required')), `${tag}: the program says why`);
      await axe(page, `intake, refused step (${tag})`);
      await shot(page, `${tag}-intake-refused`);

      // The consent form's date field: its calendar button (inside the field) shows a focus ring.
      await page.goto(`${h.base}/cases/${p.id}?tab=consent`);
      const given = page.getByLabel(m('consent.givenOn'));
      await given.waitFor();
      await page.getByLabel(m('consent.legalBasis'), { exact: true }).focus();
      const givenId = await given.getAttribute('id');
      let onButton = false;
      for (let i = 0; i < 6 && !onButton; i++) {
        await page.keyboard.press('Tab');
        // Focus inside the field but not on one of its date parts: the calendar button.
        onButton = await page.evaluate(
          (id) => document.activeElement?.id === id && !document.activeElement.matches(':focus'),
          givenId,
        );
      }
      assert.ok(onButton, `${tag}: Tab reaches the calendar button`);
      const ring = await given.evaluate((el) => {
        const cs = getComputedStyle(el);
        return { style: cs.outlineStyle, width: parseFloat(cs.outlineWidth), shadow: cs.boxShadow };
      });
      assert.ok(
        (ring.style !== 'none' && ring.width >= 2) || ring.shadow !== 'none',
        `${tag}: focus ring on the calendar button (${JSON.stringify(ring)})`,
      );
      await shot(page, `${tag}-date-focus`);
    }
    await use(page, 'en', 'desk');
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);

test(
  'decisions: withdraw, override and move back each confirm (Escape sends nothing), then say what happened (en, ar; 1366, 390)',
  { timeout: 600_000 },
  async () => {
    const cm = await session(demoEmail('case.manager'));
    const cases: { id: string; code: string }[] = [];
    for (let i = 0; i < COMBOS.length; i++) cases.push(await freshCase(cm.page, `Decidan${'abcd'[i]}`));
    await cm.ctx.close();

    const sup = await session(demoEmail('supervisor'));
    const page = sup.page;
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/(withdraw|transitions)$/.test(r.url())) posts.push(r.url());
    });
    const count = (what: string) => posts.filter((u) => u.endsWith(what)).length;
    for (const [i, [lang, size]] of COMBOS.entries()) {
      const m = catalogue(lang);
      const tag = `${lang}-${size}`;
      const c = cases[i]!;
      await use(page, lang, size);

      // Withdraw consent.
      await page.goto(`${h.base}/cases/${c.id}?tab=consent`);
      const withdraw = page.getByRole('button', { name: startsWith(m('consent.withdraw')) });
      await withdraw.click();
      const dlg = page.getByRole('dialog');
      await dlg.getByText(c.code).first().waitFor();
      await axe(page, `withdraw confirmation (${tag})`);
      await shot(page, `${tag}-confirm-withdraw`);
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(count('/withdraw'), 0, `${tag}: Escape sent nothing`);
      await withdraw.click();
      // The reason is required: confirming without one focuses it.
      const reason = dlg.getByLabel(m('consent.withdraw.reason'), { exact: true });
      await dlg.getByRole('button', { name: m('consent.withdraw'), exact: true }).click();
      await page.waitForFunction((id) => document.activeElement?.id === id, await reason.getAttribute('id'));
      assert.equal(count('/withdraw'), 0, `${tag}: nothing sent without a reason`);
      await reason.fill('The participant asked to withdraw.');
      await dlg.getByRole('button', { name: m('consent.withdraw'), exact: true }).click();
      await page.getByRole('status').filter({ hasText: c.code }).waitFor();
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(count('/withdraw'), 1, `${tag}: one withdrawal sent`);
      posts.length = 0;

      // Override the unmet gates (consent is now withdrawn) to move forward.
      await page.goto(`${h.base}/cases/${c.id}?tab=phase`);
      await page.getByLabel(m('phase.reason'), { exact: true }).fill('Start the work now');
      await page.getByLabel(m('phase.override'), { exact: true }).fill('Consent is being renewed with the family');
      const overrideBtn = page.getByRole('button', { name: m('phase.moveOverride'), exact: true });
      await overrideBtn.click();
      await dlg.getByText(c.code).first().waitFor();
      await dlg.getByText('Consent is being renewed with the family').waitFor();
      await axe(page, `override confirmation (${tag})`);
      await shot(page, `${tag}-confirm-override`);
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(count('/transitions'), 0, `${tag}: Escape sent no override`);
      await overrideBtn.click();
      await dlg.getByRole('button', { name: m('phase.moveOverride'), exact: true }).click();
      await page.getByRole('status').filter({ hasText: c.code }).waitFor();
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(count('/transitions'), 1, `${tag}: one override sent`);
      posts.length = 0;

      // Move back to the earlier phase.
      await page.getByRole('radio', { name: m('phase.backward') }).check();
      await page.getByLabel(m('phase.backTo'), { exact: true }).selectOption({ index: 1 });
      await page.getByLabel(m('phase.reason'), { exact: true }).fill('Renew consent first');
      const backBtn = page.getByRole('button', { name: m('phase.moveBack'), exact: true });
      await backBtn.click();
      await dlg.getByText(c.code).first().waitFor();
      await shot(page, `${tag}-confirm-back`);
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(count('/transitions'), 0, `${tag}: Escape sent no move`);
      await backBtn.click();
      await dlg.getByRole('button', { name: m('phase.moveBack'), exact: true }).click();
      await page.getByRole('status').filter({ hasText: c.code }).waitFor();
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(count('/transitions'), 1, `${tag}: one move sent`);
      posts.length = 0;
      await axe(page, `phase after the moves (${tag})`);
      await shot(page, `${tag}-phase-moved`);
      await noSideways(page, `phase (${tag})`);
    }
    await use(page, 'en', 'desk');
    assert.deepEqual(sup.errors, []);
    await sup.ctx.close();
  },
);

test(
  'Hijri dates and codes on one line; the session form fits a phone (en, ar; 1366, 390)',
  { timeout: 400_000 },
  async () => {
    const cm = await session(demoEmail('case.manager'));
    const page = cm.page;
    const p = await freshCase(page, 'Hijrian');
    await pageApi(page, 'PATCH', '/api/v1/me/preferences', { calendar: 'islamic-umalqura' });
    for (const [lang, size] of COMBOS) {
      const m = catalogue(lang);
      const tag = `${lang}-${size}`;
      await use(page, lang, size);
      await page.goto(`${h.base}/cases`);
      await page
        .locator(size === 'desk' ? '.cases-table .code' : '.case-card .code')
        .first()
        .waitFor();
      await oneLine(page, `case list (${tag})`);
      await axe(page, `case list, Hijri (${tag})`);
      await shot(page, `${tag}-hijri-cases`);
      for (const tab of ['overview', 'sessions', 'plan', 'phase', 'consent'] as const) {
        await page.goto(`${h.base}/cases/${p.id}?tab=${tab}`);
        await page.getByRole('tabpanel').waitFor();
        await page.waitForLoadState('networkidle');
        await oneLine(page, `${tab} (${tag})`);
        await axe(page, `${tab}, Hijri (${tag})`);
        if (tab === 'consent') await shot(page, `${tag}-hijri-consent`);
      }

      // The session form.
      await page.goto(`${h.base}/cases/${p.id}?tab=sessions`);
      const save = page.getByRole('button', { name: m('caseSession.save') });
      await save.waitFor();
      await page.waitForLoadState('networkidle');
      await noSideways(page, `sessions (${tag})`);
      if (size === 'phone') {
        // Fields stacked: every control of the form starts at the same inline edge.
        const boxes = await page
          .locator('.session-form')
          .locator('input:not([type=radio]):not([type=checkbox]), select, textarea, .choice, button')
          .evaluateAll((els) =>
            els.map((el) => {
              const r = el.getBoundingClientRect();
              return { name: el.textContent || el.id, w: r.width, h: r.height, left: r.left, right: r.right };
            }),
          );
        const width = await page.evaluate(() => document.documentElement.clientWidth);
        for (const b of boxes) {
          assert.ok(b.h >= 44, `${tag}: “${b.name}” is ${b.h}px high (tap target)`);
          assert.ok(b.left >= 0 && b.right <= width + 1, `${tag}: “${b.name}” in view`);
        }
        const fields = page.locator('.session-form .form-grid > .field');
        const lefts = await fields.evaluateAll((els) => els.map((el) => Math.round(el.getBoundingClientRect().left)));
        assert.equal(new Set(lefts).size, 1, `${tag}: fields stacked (${lefts.join(',')})`);
        // The save button can be reached and is not under the bottom navigation.
        await save.scrollIntoViewIfNeeded();
        const hit = await save.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
          return el === top || el.contains(top);
        });
        assert.ok(hit, `${tag}: the save button is reachable`);
      }
      await axe(page, `sessions (${tag})`);
      await shot(page, `${tag}-sessions`);
    }
    await pageApi(page, 'PATCH', '/api/v1/me/preferences', { calendar: 'gregory' });
    await use(page, 'en', 'desk');
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);

test(
  'handover: offering and cancelling the offer each confirm (Escape sends nothing), then say what happened (en 1366, ar 390)',
  { timeout: 300_000 },
  async () => {
    const cm = await session(demoEmail('case.manager'));
    const page = cm.page;
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/(handovers|decision)$/.test(r.url())) posts.push(r.url());
    });
    for (const [lang, size] of [
      ['en', 'desk'],
      ['ar', 'phone'],
    ] as const) {
      const m = catalogue(lang);
      const tag = `${lang}-${size}`;
      const c = await freshCase(page, `Handovan${lang}`);
      await use(page, lang, size);
      await page.goto(`${h.base}/cases/${c.id}?tab=team`);
      const to = page.getByLabel(m('handover.to'), { exact: true });
      await to.selectOption({ index: 1 });
      const team = (await to.locator('option:checked').innerText()).trim();
      const said = (key: string) => m(key).replace('{code}', c.code).replace('{to}', team);
      await page.getByLabel(m('handover.reason'), { exact: true }).fill('The family moved to the other district');
      const send = page.getByRole('button', { name: m('handover.send'), exact: true });
      await send.click();
      const dlg = page.getByRole('dialog');
      await dlg.getByText(c.code).first().waitFor();
      await axe(page, `handover offer confirmation (${tag})`);
      await shot(page, `${tag}-confirm-handover`);
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(posts.length, 0, `${tag}: Escape sent no offer`);
      await send.click();
      await dlg.getByRole('button', { name: m('handover.send'), exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: said('casework.handover.done.offer') })
        .waitFor();
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(posts.filter((u) => u.endsWith('/handovers')).length, 1, `${tag}: one offer sent`);

      const cancel = page.getByRole('button', { name: m('handover.cancel'), exact: true });
      await cancel.click();
      await dlg.getByText(c.code).first().waitFor();
      await page.keyboard.press('Escape');
      await dlg.waitFor({ state: 'hidden' });
      assert.equal(posts.filter((u) => u.endsWith('/decision')).length, 0, `${tag}: Escape sent no decision`);
      await cancel.click();
      await dlg.getByRole('button', { name: m('handover.cancel'), exact: true }).click();
      await dlg.waitFor({ state: 'hidden' });
      await page
        .getByRole('status')
        .filter({ hasText: said('casework.handover.done.cancel') })
        .waitFor();
      await page.getByText(m('handover.status.cancelled')).first().waitFor();
      assert.equal(posts.filter((u) => u.endsWith('/decision')).length, 1, `${tag}: one decision sent`);
      await axe(page, `team after the handover (${tag})`);
      await shot(page, `${tag}-handover-cancelled`);
      posts.length = 0;
    }
    await use(page, 'en', 'desk');
    assert.deepEqual(cm.errors, []);
    await cm.ctx.close();
  },
);
