/**
 * The minutes of a board meeting as PDF (GET /board-meetings/{id}/minutes.pdf): the meeting's record in
 * the chosen language — attendance, quorum, per item the question, recusals (names, never the reason),
 * votes, the decision with its dissent — then the chair's sign-off or "draft", and amendments below
 * the original. Read by exactly those who may read the meeting; every export audited.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { call, closeShared, intake, makeTenant, ORIGIN, ownerDb, shared$ } from './helpers.ts';
import { readCatalogue } from '../src/server/i18n/index.ts';

let ctx: Awaited<ReturnType<typeof shared$>>;
let t: Awaited<ReturnType<typeof makeTenant>>;
let other: Awaited<ReturnType<typeof makeTenant>>;
const en = readCatalogue('en');
const ar = readCatalogue('ar');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-minutes-'));
const hasPoppler = (() => {
  try {
    execFileSync('which', ['pdftotext', 'pdftoppm']);
    return true;
  } catch {
    return false;
  }
})();

before(async () => {
  ctx = await shared$();
  t = await makeTenant(ctx.services, {
    cm: { roles: ['case_manager'], team: 'a' },
    psy: { roles: ['psychologist'], team: 'a' },
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
    cmB: { roles: ['case_manager'], team: 'b' },
    sec: { roles: ['review_board'], team: 'none' },
    law: { roles: ['review_board'], team: 'none' },
    outsider: { roles: ['review_board'], team: 'none' },
    learner: { roles: ['learner'], team: 'none' },
  });
  other = await makeTenant(ctx.services, {
    sup: { roles: ['supervisor'], team: 'a', supervisor: true },
    board: { roles: ['review_board'], team: 'none' },
  });
});
after(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await closeShared();
});

const cookie = (k: string) => t.users[k]!.cookie;
const id = (k: string) => t.users[k]!.id;

async function ok(r: Promise<{ status: number; text: string; body: { id?: string; version?: number } }>, status = 0) {
  const got = await r;
  if (status) assert.equal(got.status, status, got.text);
  else assert.ok(got.status < 300, got.text);
  return got.body;
}

async function move(meetingId: string, to: string) {
  const m = await call(ctx.app, 'GET', `/api/v1/board-meetings/${meetingId}`, { cookie: cookie('sup') });
  return ok(
    call(ctx.app, 'POST', `/api/v1/board-meetings/${meetingId}/state`, {
      cookie: cookie('sup'),
      body: { to },
      headers: { 'if-match': String(m.body.version) },
    }),
  );
}

/**
 * A meeting of a new board with one case decided: the legal member recused (with a reason that must
 * stay in the system), two votes for and a dissent from the security member, the decision approved.
 */
async function decidedMeeting(boardName: string) {
  const p = (await ok(
    call(ctx.app, 'POST', '/api/v1/participants', { cookie: cookie('cm'), body: intake({ teamId: t.teamA }) }),
    201,
  )) as { id: string; code: string };
  await ownerDb()
    .updateTable('participants')
    .set({ phase_key: 'assessment_agreement', phase_entered_at: new Date(Date.now() - 86_400_000) })
    .where('id', '=', p.id)
    .execute();
  const board = await ok(
    call(ctx.app, 'POST', '/api/v1/boards', {
      cookie: cookie('sup'),
      body: {
        programId: t.programId,
        name: boardName,
        quorum: { minMembers: 3, requiredRoles: ['psychologist'] },
        members: [
          { userId: id('sup'), role: 'case_manager', chair: true },
          { userId: id('psy'), role: 'psychologist' },
          { userId: id('sec'), role: 'security' },
          { userId: id('law'), role: 'legal' },
        ],
      },
    }),
    201,
  );
  const m = (
    await ok(
      call(ctx.app, 'POST', `/api/v1/boards/${board.id}/meetings`, {
        cookie: cookie('sup'),
        body: { scheduledFor: new Date(Date.now() + 3_600_000).toISOString(), place: 'Room 4 (synthetic)' },
      }),
      201,
    )
  ).id!;
  const item = (
    await ok(
      call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/agenda`, {
        cookie: cookie('cm'),
        body: {
          participantId: p.id,
          question: 'move_to_next_phase',
          reason: 'Plan approved and engaged in sessions (synthetic).',
        },
      }),
      201,
    )
  ).id!;
  await move(m, 'open');
  for (const k of ['sup', 'psy', 'sec', 'law'])
    await ok(
      call(ctx.app, 'POST', `/api/v1/board-meetings/${m}/attendance`, {
        cookie: cookie('sup'),
        body: { userId: id(k), present: true },
      }),
      204,
    );
  await ok(
    call(ctx.app, 'POST', `/api/v1/agenda-items/${item}/recusal`, {
      cookie: cookie('law'),
      body: { reason: 'Secret conflict detail: represented the person (synthetic).' },
    }),
    204,
  );
  const vote = (who: string, v: string, reason?: string) =>
    ok(
      call(ctx.app, 'POST', `/api/v1/agenda-items/${item}/votes`, {
        cookie: cookie(who),
        body: { vote: v, ...(reason ? { reason } : {}) },
      }),
      204,
    );
  await vote('sup', 'agree');
  await vote('psy', 'agree', 'Steady progress (synthetic).');
  await vote('sec', 'disagree', 'Too early for community steps (synthetic).');
  await ok(
    call(ctx.app, 'POST', `/api/v1/agenda-items/${item}/decision`, {
      cookie: cookie('sup'),
      body: {
        outcome: 'approved',
        wording: 'Move to active disengagement (synthetic).',
        reasons: 'Plan approved and good engagement (synthetic).',
        conditions: ['Weekly check-ins for 3 months (synthetic)'],
        nextReviewOn: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
      },
    }),
    201,
  );
  return { meetingId: m, code: p.code, participantId: p.id };
}

/** The minutes as raw bytes (the JSON helper would mangle a PDF). */
async function minutes(meetingId: string, c: string, locale?: string) {
  const res = await ctx.app.request(
    `/api/v1/board-meetings/${meetingId}/minutes.pdf${locale ? `?locale=${locale}` : ''}`,
    { headers: { origin: ORIGIN, cookie: c } },
  );
  return { status: res.status, type: res.headers.get('content-type'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** The PDF's text (pdftotext, in drawing order), or the raw bytes when poppler is missing. */
function textOf(pdf: Buffer, name: string): string {
  const file = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(file, pdf);
  if (!hasPoppler) return pdf.toString('latin1');
  return execFileSync('pdftotext', ['-raw', file, '-'], { encoding: 'utf8' });
}

/** Whitespace collapsed, so wrapped lines still match. */
const flat = (s: string) => s.replace(/\s+/g, ' ');

test('the minutes of a decided meeting in English: attendance, quorum, votes, the decision and the dissent beside it; the recusal by name only', async () => {
  const { meetingId, code } = await decidedMeeting('Minutes board EN (synthetic)');
  const r = await minutes(meetingId, cookie('sup'), 'en');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/pdf');
  assert.equal(r.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  assert.ok(r.bytes.subarray(-8).toString('latin1').includes('%%EOF'));
  const text = flat(textOf(r.bytes, 'en'));
  for (const expected of [
    en['boards.minutes.title']!,
    'Minutes board EN (synthetic)',
    'Room 4 (synthetic)',
    code,
    en['boards.minutes.q.move_to_next_phase']!,
    'Plan approved and engaged in sessions (synthetic).',
    en['boards.minutes.role.psychologist']!,
    en['boards.minutes.role.security']!,
    'sup (chair)',
    'Move to active disengagement (synthetic).',
    'Plan approved and good engagement (synthetic).',
    'Weekly check-ins for 3 months (synthetic)',
    'Steady progress (synthetic).',
    'Agree 2, disagree 1, abstain 0',
    en['boards.minutes.dissent']!,
    'sec: Too early for community steps (synthetic).',
    en['boards.minutes.recused']!,
    // Not yet signed by the chair.
    en['boards.minutes.draft']!,
  ])
    assert.ok(text.includes(flat(expected)), `the minutes say "${expected}"`);
  // The recusal shows the member's name; the conflict's details stay in the system.
  assert.match(text, /Recused \(conflict of interest declared\) law/);
  assert.ok(!text.includes('Secret conflict detail'), 'no recusal reason in the minutes');

  // The export is audited (and so is the view of the meeting behind it), for the user, with the meeting as purpose.
  const events = await ownerDb()
    .selectFrom('audit_events')
    .select(['action', 'actor_id', 'purpose', 'entity_id', 'details'])
    .where('tenant_id', '=', t.tenantId)
    .where('entity_id', '=', meetingId)
    .where('action', 'in', ['board.minutes.export', 'board.meeting.read'])
    .execute();
  const exported = events.filter((e) => e.action === 'board.minutes.export');
  assert.equal(exported.length, 1);
  assert.equal(exported[0]!.actor_id, id('sup'));
  assert.equal(exported[0]!.purpose, 'board_meeting');
  assert.ok(events.some((e) => e.action === 'board.meeting.read' && e.actor_id === id('sup')));
});

test('the minutes in Arabic are shaped right to left (page 1 rendered as an image)', async () => {
  const { meetingId, code } = await decidedMeeting('Minutes board AR (synthetic)');
  const r = await minutes(meetingId, cookie('sec'), 'ar');
  assert.equal(r.status, 200);
  assert.equal(r.bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  // The document declares its language, and embeds a font able to write Arabic.
  assert.ok(r.bytes.toString('latin1').includes('/Lang (ar)'));
  const text = textOf(r.bytes, 'ar');
  if (hasPoppler) {
    // Shaped glyphs extract back to Arabic letters (in either logical or presentation forms).
    assert.match(text, /[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/u);
    assert.ok(flat(text).includes(code), 'the case code stays as written');
    assert.ok(flat(text).includes('Too early for community steps (synthetic).'));
    // Page 1 as an image for a person to look at (test-results/board-minutes-ar-1.png).
    fs.mkdirSync('test-results', { recursive: true });
    execFileSync('pdftoppm', [
      '-png',
      '-r',
      '80',
      '-f',
      '1',
      '-l',
      '1',
      path.join(dir, 'ar.pdf'),
      'test-results/board-minutes-ar',
    ]);
    const png = fs.readdirSync('test-results').find((f) => f.startsWith('board-minutes-ar') && f.endsWith('.png'));
    assert.ok(png, 'page 1 rendered');
    assert.ok(fs.statSync(path.join('test-results', png)).size > 10_000);
  }
  // The Arabic title is the catalogue's: the words come from the server catalogue, not from code.
  assert.notEqual(ar['boards.minutes.title'], en['boards.minutes.title']);
  // Urdu (right to left too) and French print as well; page 1 of each kept as an image to look at.
  for (const locale of ['ur', 'fr', 'en']) {
    const other = await minutes(meetingId, cookie('sec'), locale);
    assert.equal(other.status, 200, locale);
    assert.ok(other.bytes.toString('latin1').includes(`/Lang (${locale})`), locale);
    if (hasPoppler) {
      const title = flat(readCatalogue(locale as 'ur' | 'fr' | 'en')['boards.minutes.title']!);
      if (locale !== 'ur') assert.ok(flat(textOf(other.bytes, locale)).includes(title), locale);
      else textOf(other.bytes, locale);
      execFileSync('pdftoppm', [
        '-png',
        '-r',
        '80',
        '-f',
        '1',
        '-l',
        '1',
        path.join(dir, `${locale}.pdf`),
        `test-results/board-minutes-${locale}`,
      ]);
    }
  }
});

test('signed minutes with an amendment show the original and, below it, the amendment with its date and author', async () => {
  const { meetingId } = await decidedMeeting('Minutes board signed (synthetic)');
  await move(meetingId, 'closed');
  await move(meetingId, 'signed');
  await ok(
    call(ctx.app, 'POST', `/api/v1/board-meetings/${meetingId}/amendments`, {
      cookie: cookie('sup'),
      body: { text: 'The next review was agreed for the 3rd (synthetic).' },
    }),
    204,
  );
  const r = await minutes(meetingId, cookie('psy'), 'en');
  assert.equal(r.status, 200);
  const text = flat(textOf(r.bytes, 'signed'));
  assert.ok(!text.includes(en['boards.minutes.draft']!), 'signed minutes are not a draft');
  assert.match(text, /Signed by the chair sup/);
  const original = text.indexOf('Move to active disengagement (synthetic).');
  const heading = text.indexOf(en['boards.minutes.amendments']!);
  const amendment = text.indexOf('The next review was agreed for the 3rd (synthetic).');
  assert.ok(original >= 0 && heading > original && amendment > heading, 'the amendment comes below the original');
  const today = new Intl.DateTimeFormat('en', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date());
  assert.ok(text.includes(`Amendment of ${today} by sup`), text.slice(heading, heading + 200));
});

test('the minutes are read exactly by who may read the meeting: 404 for another tenant or a non-member; items of other teams left out', async () => {
  const { meetingId, code } = await decidedMeeting('Minutes board access (synthetic)');
  const before = await ownerDb()
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'board.minutes.export')
    .where('entity_id', '=', meetingId)
    .execute();
  for (const c of [other.users.sup!.cookie, other.users.board!.cookie, cookie('outsider')]) {
    const r = await minutes(meetingId, c, 'en');
    assert.equal(r.status, 404);
    assert.equal(r.type?.includes('application/pdf'), false);
  }
  assert.equal((await minutes('not-a-uuid', cookie('sup'))).status, 404);
  assert.equal((await minutes(meetingId, cookie('learner'))).status, 403);
  assert.equal((await minutes(meetingId, '')).status, 401);
  const bad = await call(ctx.app, 'GET', `/api/v1/board-meetings/${meetingId}/minutes.pdf?locale=de`, {
    cookie: cookie('sup'),
  });
  assert.equal(bad.status, 400);
  const after = await ownerDb()
    .selectFrom('audit_events')
    .select('id')
    .where('action', '=', 'board.minutes.export')
    .where('entity_id', '=', meetingId)
    .execute();
  assert.equal(after.length, before.length, 'nothing exported, nothing recorded as exported');
  // A case manager of another team sees the meeting, but not this case: the minutes leave it out.
  const theirs = await minutes(meetingId, cookie('cmB'), 'fr');
  assert.equal(theirs.status, 200);
  const text = flat(textOf(theirs.bytes, 'cmB'));
  if (hasPoppler) {
    assert.ok(text.includes(flat(readCatalogue('fr')['boards.minutes.noItems']!)));
    assert.ok(!text.includes(code));
  }
});

test("dates follow the reader's calendar setting (Umm al-Qura)", async () => {
  const { meetingId } = await decidedMeeting('Minutes board calendar (synthetic)');
  await ownerDb().updateTable('users').set({ calendar: 'islamic-umalqura' }).where('id', '=', id('law')).execute();
  try {
    const r = await minutes(meetingId, cookie('law'), 'en');
    assert.equal(r.status, 200);
    if (hasPoppler) {
      const text = flat(textOf(r.bytes, 'calendar'));
      const hijriYear = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', { year: 'numeric', timeZone: 'UTC' })
        .format(new Date())
        .replace(/\D/g, '');
      assert.ok(text.includes(`${hijriYear} AH`), text.slice(0, 400));
    }
  } finally {
    await ownerDb().updateTable('users').set({ calendar: 'gregory' }).where('id', '=', id('law')).execute();
  }
});
