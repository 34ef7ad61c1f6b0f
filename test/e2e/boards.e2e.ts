/**
 * Review boards in Debian's Chromium, in English and Arabic, at 1366 px and 390 px: the demo supervisor
 * (board manager and chair) builds a meeting's agenda from the work queue, opens the meeting and marks
 * attendance until the quorum is met; the review-board member (whose home is the boards page) votes
 * "disagree" with a reason and reads the evidence pack; the psychologist and the chair agree; the chair
 * decides, and the decision shows with the dissent beside it and the case's board gate is met. Axe and a
 * screenshot at each step; no sideways scroll on the phone.
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
  exactly,
  lead,
} from './harness.ts';

const h = useBrowserHarness();
const session = (email: string) => signInDemo(h, email, SIZES.desk);

/** Sets the saved language (and so the direction) and the viewport, then opens `url`. */
async function use(page: Page, lang: Lang, size: Size, url: string) {
  await page.setViewportSize(SIZES[size]);
  await pageApi(page, 'PATCH', '/api/v1/me/preferences', { locale: lang });
  await page.goto(`${h.base}${url}`);
  await page.waitForFunction((d) => document.documentElement.dir === d, lang === 'ar' ? 'rtl' : 'ltr');
}

/** No sideways scroll of the page. */
async function noSideways(page: Page, where: string) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(over <= 1, `${where}: the page scrolls sideways by ${over}px`);
}

async function check(page: Page, name: string, size: Size) {
  await shot(page, name);
  await axe(page, name);
  if (size === 'phone') await noSideways(page, name);
}

async function userId(local: string): Promise<string> {
  const row = await h.owner
    .selectFrom('users')
    .select('id')
    .where('email', '=', demoEmail(local))
    .executeTakeFirstOrThrow();
  return row.id;
}

/**
 * The new-board form: submitted empty it says what is missing on each field; in English it is then
 * filled (chair, psychologist, security member; quorum of 3 with a required psychologist), a quorum
 * larger than the board is refused on its field, the board appears, and a meeting is scheduled for it.
 */
async function boardForm(page: Page, t: (key: string) => string, lang: Lang, size: Size, tag: string) {
  await page.getByRole('button', { name: exactly(t('boards.new')) }).click();
  const form = page.getByRole('dialog');
  await form.getByRole('button', { name: exactly(t('boards.create')) }).click();
  await form.getByText(t('boards.error.chooseMember')).waitFor();
  await form.getByText(t('boards.error.chooseRole')).waitFor();
  assert.ok((await form.getByText(t('field.required')).count()) >= 2, `${tag}: program and name are required`);
  await check(page, `${tag}-0-new-board-errors`, size);
  if (lang !== 'en') {
    await form.getByRole('button', { name: exactly(t('action.close')) }).click();
    return;
  }
  const name = `Release board (${size}, synthetic)`;
  await form.getByLabel(t('boards.program'), { exact: true }).selectOption({ index: 1 });
  await form.getByLabel(t('boards.name'), { exact: true }).fill(name);
  const people = ['Demo Supervisor', 'Demo Psychologist', 'Demo Review Board Member'];
  const roles = ['case_manager', 'psychologist', 'security'];
  for (const [j, who] of people.entries()) {
    if (j > 0) await form.getByRole('button', { name: exactly(t('boards.addMember')) }).click();
    await form.getByLabel(`Member ${j + 1}`, { exact: true }).selectOption({ label: who });
    await form.getByLabel(`Board role of member ${j + 1}`, { exact: true }).selectOption(roles[j]!);
  }
  // A quorum larger than the board is refused in words on its field, before anything is sent.
  await form.getByLabel(t('boards.minMembers'), { exact: true }).fill('4');
  await form.getByLabel(t('boards.requiredRole').replace('{role}', t('boards.role.psychologist'))).check();
  await form.getByRole('button', { name: exactly(t('boards.create')) }).click();
  await form.getByText(t('boards.error.tooManyNeeded')).waitFor();
  await form.getByLabel(t('boards.minMembers'), { exact: true }).fill('3');
  await check(page, `${tag}-0-new-board-filled`, size);
  await form.getByRole('button', { name: exactly(t('boards.create')) }).click();
  const card = page.locator('li.board-card', { has: page.getByRole('heading', { name }) });
  await card.waitFor();
  await card.getByText('Demo Review Board Member').waitFor();
  await card.getByRole('button', { name: exactly(t('boards.schedule')) }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: exactly(t('boards.schedule')) }).click();
  await dialog.getByText(t('boards.placeOrOnline')).waitFor();
  await dialog.getByLabel(t('boards.when'), { exact: true }).fill('2030-01-15T10:00');
  await dialog.getByLabel(t('boards.online'), { exact: true }).check();
  await check(page, `${tag}-0-schedule`, size);
  await dialog.getByRole('button', { name: exactly(t('boards.schedule')) }).click();
  await page.waitForURL('**/boards/meetings/*');
  await page.getByRole('heading', { level: 1, name: lead(name) }).waitFor();
  await page.getByText(t('boards.agenda.empty')).waitFor();
  await page.goto(`${h.base}/boards`);
  await page.getByRole('heading', { level: 1, name: t('boards.title') }).waitFor();
}

/** A case put on the agenda by hand: the form says what is missing, then adds the case with its question and reason. */
async function byHand(page: Page, t: (key: string) => string, taken: string, tag: string, size: Size) {
  await page.getByRole('button', { name: exactly(t('boards.byHand')) }).click();
  const builder = page.locator('.agenda-builder');
  await builder.getByRole('button', { name: exactly(t('boards.addToAgenda')) }).click();
  assert.equal(
    await builder.getByText(t('field.required')).count(),
    3,
    `${tag}: case, question and reason are required`,
  );
  const pick = builder.getByLabel(t('boards.case'), { exact: true });
  // Focus went to the first field the form marked.
  assert.equal(await pick.evaluate((el) => el === document.activeElement), true, `${tag}: focus on the case`);
  const codes = (await pick.locator('option').allTextContents()).filter((x) => x.startsWith('SN-') && x !== taken);
  assert.ok(codes.length > 0, `${tag}: the caseload offers cases of the program`);
  await pick.selectOption({ label: codes[0]! });
  await builder.getByLabel(t('boards.question'), { exact: true }).selectOption('continue_in_phase');
  await builder.getByLabel(t('boards.reason'), { exact: true }).fill('Plan review due after a setback (synthetic).');
  await check(page, `${tag}-2b-by-hand`, size);
  await builder.getByRole('button', { name: exactly(t('boards.addToAgenda')) }).click();
  await page
    .locator('li.agenda-item', { hasText: codes[0]! })
    .getByText('Plan review due after a setback (synthetic).')
    .waitFor();
}

test(
  'review boards: agenda from the work queue, quorum, a dissent, the decision meets the gate',
  { timeout: 900_000 },
  async () => {
    const sup = await session(demoEmail('supervisor'));
    const board = await session(demoEmail('board'));
    const psy = await session(demoEmail('psychologist'));

    // The demo data has no boards: the supervisor creates one for Team A's program through the API.
    const programs = await pageApi<{ items: { id: string; status: string; framework?: string }[] }>(
      sup.page,
      'GET',
      '/api/v1/programs',
    );
    const teamA = await h.owner
      .selectFrom('participants')
      .select('program_id')
      .innerJoin('teams', 'teams.id', 'participants.team_id')
      .innerJoin('team_members as m', 'm.team_id', 'teams.id')
      .innerJoin('users as u', 'u.id', 'm.user_id')
      .where('u.email', '=', demoEmail('supervisor'))
      .executeTakeFirstOrThrow();
    assert.ok(programs.items.some((p) => p.id === teamA.program_id));
    const [supId, psyId, boardId] = [await userId('supervisor'), await userId('psychologist'), await userId('board')];
    const created = await pageApi<{ id: string }>(sup.page, 'POST', '/api/v1/boards', {
      programId: teamA.program_id,
      name: 'Custodial review board',
      quorum: { minMembers: 3, requiredRoles: ['psychologist', 'security'] },
      members: [
        { userId: supId, role: 'case_manager', chair: true },
        { userId: psyId, role: 'psychologist' },
        { userId: boardId, role: 'security' },
      ],
    });

    // Team A cases to put before the board: moved (as the owner) into a phase whose exit needs a board decision.
    const cases = await h.owner
      .selectFrom('participants')
      .select(['id', 'code'])
      .where('program_id', '=', teamA.program_id)
      .where('status', '=', 'active')
      .orderBy('code')
      .limit(COMBOS.length)
      .execute();
    assert.equal(cases.length, COMBOS.length);

    for (const [i, [lang, size]] of COMBOS.entries()) {
      const t = catalogue(lang);
      const tag = `boards-${lang}-${size}`;
      const c = cases[i]!;
      await h.owner
        .updateTable('participants')
        .set({ phase_key: 'supervised_release', phase_entered_at: new Date(Date.now() - 800 * 86_400_000) })
        .where('id', '=', c.id)
        .execute();
      const gateMet = async () => {
        const g = await pageApi<{ results: { gate: { kind: string }; met: boolean }[] }>(
          sup.page,
          'GET',
          `/api/v1/participants/${c.id}/gates`,
        );
        return g.results.find((r) => r.gate.kind === 'board_decision')?.met;
      };
      assert.equal(await gateMet(), false, `${tag}: the board gate is unmet before the decision`);
      const place = `Room ${i + 1} (synthetic)`;
      const meeting = await pageApi<{ id: string }>(sup.page, 'POST', `/api/v1/boards/${created.id}/meetings`, {
        scheduledFor: new Date(Date.now() + (i + 1) * 3_600_000).toISOString(),
        place,
      });

      // The supervisor's boards page lists the meeting; they open it.
      await use(sup.page, lang, size, '/boards');
      await sup.page.getByRole('heading', { level: 1, name: t('boards.title') }).waitFor();
      const upcoming = sup.page.getByRole('region', { name: t('boards.upcoming') });
      await upcoming.getByText(place).waitFor();
      await check(sup.page, `${tag}-1-home-supervisor`, size);
      if (i === 0 || i === COMBOS.length - 1) await boardForm(sup.page, t, lang, size, tag);
      await upcoming.locator('li', { hasText: place }).getByRole('link').click();
      await sup.page.waitForURL(`**/boards/meetings/${meeting.id}`);

      // Agenda from the work queue: the case waits on the board; one click puts it on the agenda.
      const addOne = sup.page.getByRole('button', { name: lead(c.code) });
      await addOne.waitFor();
      await check(sup.page, `${tag}-2-candidates`, size);
      await addOne.click();
      const item = sup.page.locator('li.agenda-item', { hasText: c.code });
      await item.waitFor();
      await item.getByText(t('boards.question.move_to_next_phase')).first().waitFor();
      if (i === 0) await byHand(sup.page, t, c.code, `${tag}`, size);
      // Before the meeting opens, the decision form is closed with the reason.
      await item.getByText(t('boards.decide.notOpen')).waitFor();

      // Open the meeting (with confirmation), then mark attendance until the quorum is met.
      await sup.page.getByRole('button', { name: exactly(t('boards.move.open')) }).click();
      const dialog = sup.page.getByRole('dialog');
      await dialog.getByText(lead(t('boards.confirm.open'))).waitFor();
      await check(sup.page, `${tag}-3-open-confirm`, size);
      await dialog.getByRole('button', { name: exactly(t('boards.move.open')) }).click();
      await sup.page.getByRole('status').getByText(t('boards.moved.open')).waitFor();
      const quorum = sup.page.locator('.attendance .quorum');
      await quorum.getByText(lead(t('boards.quorum.notMet'))).waitFor();
      // Open but without quorum: the decision form stays closed, saying why.
      await item.getByText(t('boards.decide.noQuorum')).waitFor();
      assert.equal(await item.getByRole('button', { name: exactly(t('boards.decide')) }).isDisabled(), true);
      for (const name of ['Demo Supervisor', 'Demo Psychologist', 'Demo Review Board Member']) {
        await sup.page.getByRole('checkbox', { name: new RegExp(name) }).check();
      }
      // The quorum line follows the recorded attendance (the server's count).
      await quorum.getByText(lead(t('boards.quorum.met'))).waitFor();
      const recorded = await pageApi<{ present: string[] }>(sup.page, 'GET', `/api/v1/board-meetings/${meeting.id}`);
      assert.deepEqual([...recorded.present].sort(), [supId, psyId, boardId].sort());
      await check(sup.page, `${tag}-4-quorum`, size);

      // The review-board member: home is the boards page with the meeting; they vote "disagree" with a reason.
      await use(board.page, lang, size, '/');
      await board.page.waitForURL('**/boards');
      await board.page
        .getByRole('region', { name: t('boards.upcoming') })
        .getByText(place)
        .waitFor();
      await check(board.page, `${tag}-5-home-board-member`, size);
      await board.page.goto(`${h.base}/boards/meetings/${meeting.id}`);
      const bItem = board.page.locator('li.agenda-item', { hasText: c.code });
      await bItem.waitFor();
      // The evidence pack opens while the meeting is in session.
      await bItem.getByRole('button', { name: exactly(t('boards.pack')) }).click();
      const pack = board.page.getByRole('dialog');
      await pack.getByRole('heading', { name: t('boards.pack.plan') }).waitFor();
      await check(board.page, `${tag}-6-pack`, size);
      await pack.getByRole('button', { name: exactly(t('action.close')) }).click();
      await bItem.getByRole('button', { name: exactly(t('boards.voteAction.disagree')) }).click();
      const vd = board.page.getByRole('dialog');
      await vd.getByRole('button', { name: exactly(t('boards.voteAction.disagree')) }).click();
      // A dissent gives its reason: nothing is sent without one.
      await vd.getByText(t('field.required')).waitFor();
      await vd.getByRole('textbox').fill('Too early for release steps (synthetic).');
      await check(board.page, `${tag}-7-dissent`, size);
      await vd.getByRole('button', { name: exactly(t('boards.voteAction.disagree')) }).click();
      await bItem.getByText('Too early for release steps (synthetic).').waitFor();
      await bItem.locator('.vote-list').getByText(t('boards.vote.disagree')).waitFor();

      // The psychologist agrees.
      await use(psy.page, lang, size, `/boards/meetings/${meeting.id}`);
      const pItem = psy.page.locator('li.agenda-item', { hasText: c.code });
      await pItem.getByRole('button', { name: exactly(t('boards.voteAction.agree')) }).click();
      await psy.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('boards.voteAction.agree')) })
        .click();
      await pItem.locator('.vote-list li').nth(1).waitFor();

      // The chair agrees, then decides: outcome, wording, reasons, a condition and the next review date.
      await sup.page.reload();
      await item.getByRole('button', { name: exactly(t('boards.voteAction.agree')) }).click();
      await sup.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('boards.voteAction.agree')) })
        .click();
      await item.locator('.vote-list li').nth(2).waitFor();
      await item.getByLabel(t('boards.outcome'), { exact: true }).selectOption('approved');
      await item.getByLabel(t('boards.wording'), { exact: true }).fill('Move to closure (synthetic).');
      await item.getByLabel(t('boards.reasons'), { exact: true }).fill('Plan goals met; assessment final (synthetic).');
      await item.getByRole('button', { name: exactly(t('boards.condition.add')) }).click();
      await item.locator('.condition-row input').fill('Weekly check-ins for 3 months');
      const next = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
      await item.getByLabel(t('boards.nextReview'), { exact: true }).fill(next);
      await check(sup.page, `${tag}-8-decision-form`, size);
      await item.getByRole('button', { name: exactly(t('boards.decide')) }).click();
      await sup.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('boards.decide')) })
        .click();
      const decision = item.locator('.decision');
      await decision.getByText('Move to closure (synthetic).').waitFor();
      await decision.getByText(t('boards.outcome.approved')).waitFor();
      await item.locator('.dissent').getByText('Too early for release steps (synthetic).').waitFor();
      await check(sup.page, `${tag}-9-decided`, size);

      // The decision meets the case's board gate.
      assert.equal(await gateMet(), true, `${tag}: the board gate is met after the decision`);

      // Its condition becomes a plan goal in one step (a domain is required first).
      await item.getByRole('button', { name: exactly(t('boards.toGoals.add')) }).click();
      await item.getByText(t('field.required')).first().waitFor();
      await item.getByLabel(t('boards.toGoals.domain')).selectOption('family_social');
      await item.getByRole('button', { name: exactly(t('boards.toGoals.add')) }).click();
      await item.getByText(lead(t('boards.toGoals.applied'))).waitFor();
      const plan = await pageApi<{ goals: { title: string }[] }>(sup.page, 'GET', `/api/v1/participants/${c.id}/plan`);
      assert.ok(
        plan.goals.some((g) => g.title === 'Weekly check-ins for 3 months'),
        `${tag}: the condition is a goal`,
      );

      // The chair closes the meeting: the evidence pack closes again for the member outside the case team.
      await sup.page.getByRole('button', { name: exactly(t('boards.move.closed')) }).click();
      await sup.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('boards.move.closed')) })
        .click();
      await sup.page.getByRole('status').getByText(t('boards.moved.closed')).waitFor();
      await board.page.reload();
      await bItem.getByRole('button', { name: exactly(t('boards.pack')) }).click();
      await board.page.getByRole('dialog').getByText(t('boards.pack.closed')).waitFor();
      await board.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('action.close')) })
        .click();

      // The chair signs: the record is read-only, and a correction is an amendment listed under it.
      await sup.page.getByRole('button', { name: exactly(t('boards.move.signed')) }).click();
      await sup.page
        .getByRole('dialog')
        .getByText(lead(t('boards.confirm.signed')))
        .waitFor();
      await sup.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('boards.move.signed')) })
        .click();
      await sup.page.getByText(t('boards.signedNote')).waitFor();
      assert.equal(await item.locator('.decision-form').count(), 0, `${tag}: no decision form after sign-off`);
      assert.equal(await sup.page.locator('.attendance input').count(), 0, `${tag}: attendance is read-only`);
      const amend = sup.page.getByRole('region', { name: t('boards.amendments') });
      await amend.getByRole('button', { name: exactly(t('boards.amendment.add')) }).click();
      await amend.getByText(t('field.required')).waitFor();
      await amend.getByLabel(t('boards.amendment.add')).fill('The next review is at the release hearing (synthetic).');
      await amend.getByRole('button', { name: exactly(t('boards.amendment.add')) }).click();
      await amend
        .locator('.amendment-list')
        .getByText('The next review is at the release hearing (synthetic).')
        .waitFor();
      await decision.getByText('Move to closure (synthetic).').waitFor();
      await check(sup.page, `${tag}-10-signed-amended`, size);
      // Print the minutes: the link gives the signed minutes as a PDF in the page's language.
      const minutes = sup.page.getByRole('link', { name: exactly(t('boards.minutes')) });
      const href = (await minutes.getAttribute('href')) ?? '';
      assert.match(href, new RegExp(`/minutes\\.pdf\\?locale=${lang}$`));
      const pdf = await sup.page.evaluate(async (url) => {
        const r = await fetch(url);
        return { status: r.status, type: r.headers.get('content-type'), head: (await r.text()).slice(0, 5) };
      }, href);
      assert.deepEqual(pdf, { status: 200, type: 'application/pdf', head: '%PDF-' });
      // On the case: the phase tab says when the board approved, and the case moves to the next phase.
      await sup.page.goto(`${h.base}/cases/${c.id}?tab=phase`);
      await sup.page
        .getByText(lead(t('gate.reason.board_approved')))
        .first()
        .waitFor();
      await sup.page.getByLabel(t('phase.reason'), { exact: true }).fill('Board approved (synthetic)');
      await sup.page.getByRole('button', { name: exactly(t('phase.moveForward')) }).click();
      await sup.page
        .getByRole('dialog')
        .getByRole('button', { name: exactly(t('phase.moveForward')) })
        .click();
      await sup.page.getByRole('status').filter({ hasText: c.code }).first().waitFor();
      const moved = await pageApi<{ phaseKey: string }>(sup.page, 'GET', `/api/v1/participants/${c.id}/gates`);
      assert.notEqual(moved.phaseKey, 'supervised_release', `${tag}: the case left the phase`);
      await check(sup.page, `${tag}-11-moved`, size);
    }

    for (const s of [sup, board, psy]) {
      assert.deepEqual(s.errors, [], 'no page errors');
      await s.ctx.close();
    }
  },
);
