/**
 * Two server-rendered pages, light enough for a slow connection and readable without JavaScript:
 * the lesson reader (/learn/:enrolment/:lesson; a plain form marks a lesson read and moves on) and
 * the public certificate verification page (/verify/:code: status, name, course, dates, issuer —
 * nothing else; an unknown code reveals nothing). One small stylesheet; fonts from the device first.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Hono, type Context } from 'hono';
import type { Locale } from '../../../core/academy.ts';
import { AppError } from '../../../core/errors.ts';
import type { AppEnv } from '../../http/context.ts';
import { originCheck } from '../../http/middleware.ts';
import { under } from '../../i18n/index.ts';
import { loginSessionMiddleware } from '../auth/login-sessions.ts';
import { rateLimit } from '../auth/throttle.ts';
import { allows } from '../../../core/roles.ts';
import { completeLesson, lessonFor } from './service-learning.ts';
import { certificateByCode } from './service-public.ts';
import { course, academyTx, ownEnrolment } from './service.ts';

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
const isLocale = (x: string | undefined): x is Locale => x === 'en' || x === 'ar' || x === 'ur' || x === 'fr';

/** The stylesheet both pages share (served at /academy/page.css, cached). */
const CSS = `
@font-face{font-family:SanadNaskh;font-display:swap;src:local('Noto Naskh Arabic'),local('NotoNaskhArabic-Regular'),url(/academy/fonts/naskh.woff2) format('woff2');unicode-range:U+0600-06FF,U+0750-077F,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F}
@font-face{font-family:SanadNastaliq;font-display:swap;src:local('Noto Nastaliq Urdu'),local('NotoNastaliqUrdu-Regular'),local('Jameel Noori Nastaleeq');unicode-range:U+0600-06FF,U+0750-077F,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F}
*{box-sizing:border-box}
html{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;color:#1b2430;background:#f6f7f9;line-height:1.6}
html[lang=ar]{font-family:SanadNaskh,system-ui,sans-serif}
html[lang=ur]{font-family:SanadNastaliq,SanadNaskh,system-ui,sans-serif;line-height:2.1}
body{margin:0}
a{color:#0b5cad}
a:focus-visible,button:focus-visible{outline:3px solid #f5a623;outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}.skip:focus{inset-inline-start:8px;top:8px;background:#fff;padding:8px}
header{background:#0f3b5f;color:#fff;padding:10px 16px}
header a{color:#fff}
main{max-width:44rem;margin:0 auto;padding:16px;background:#fff;min-height:80vh}
.lesson{max-width:70ch;font-size:1.075rem}
.meta{color:#55606e;font-size:.9rem}
.notice{background:#fff4d6;border-inline-start:4px solid #d9a400;padding:8px 12px;margin:12px 0}
.done{color:#1f7a3a;font-weight:600}
nav.pager{display:flex;justify-content:space-between;gap:12px;flex-wrap:wrap;margin-block:24px}
button{font:inherit;background:#0b5cad;color:#fff;border:0;border-radius:6px;padding:10px 18px;cursor:pointer}
blockquote{margin-inline:0;padding-inline-start:12px;border-inline-start:4px solid #c9d3de;color:#3a4654}
.status{font-size:2rem;font-weight:700;padding:16px;border-radius:8px;margin-block:16px;text-align:center}
.status.valid{background:#e3f4e8;color:#145c2b}.status.expired{background:#fff1d6;color:#7a4d00}.status.revoked,.status.unknown{background:#fde4e4;color:#8a1c1c}
dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px}dt{color:#55606e}dd{margin:0;font-weight:600}
form.inline{display:flex;gap:8px;flex-wrap:wrap}input{font:inherit;padding:8px;border:1px solid #8795a5;border-radius:6px}
`;

/**
 * Fonts for slow connections: Urdu reads in Nastaliq where the device has it (Android ships Noto
 * Nastaliq Urdu; Windows users often have Jameel Noori), and otherwise in Naskh (~45 KB) rather than
 * downloading the 156 KB Nastaliq webfont, which would put a lesson over 100 KB. The app itself
 * keeps the Nastaliq webfont.
 */
const FONTS: Record<string, string> = {
  'naskh.woff2': '@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2',
};

function page(locale: Locale, title: string, body: string, header: string): string {
  const dir = locale === 'ar' || locale === 'ur' ? 'rtl' : 'ltr';
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><link rel="stylesheet" href="/academy/page.css"></head><body><a class="skip" href="#main">${esc(under('academyPage', locale)('skip'))}</a><header>${header}</header><main id="main">${body}</main></body></html>`;
}

function formatDate(d: Date, locale: Locale, hijri: boolean): string {
  const g = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  if (!hijri) return g;
  return `${g} — ${new Intl.DateTimeFormat(`${locale}-u-ca-islamic-umalqura`, { dateStyle: 'long', timeZone: 'UTC' }).format(d)}`;
}

/** The pages, mounted at the root (outside /api). */
export function academyPages(publicOrigins: string[]) {
  const app = new Hono<AppEnv>();
  app.get('/academy/page.css', (c) => {
    c.header('Cache-Control', 'public, max-age=86400');
    c.header('Content-Type', 'text/css; charset=utf-8');
    return c.body(CSS);
  });
  app.get('/academy/fonts/:file', (c) => {
    const rel = FONTS[c.req.param('file')];
    if (!rel) return c.notFound();
    const file = path.resolve(import.meta.dirname, '../../../../node_modules', rel);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    c.header('Content-Type', 'font/woff2');
    return c.body(fs.readFileSync(file));
  });

  const learn = new Hono<AppEnv>();
  learn.use('*', loginSessionMiddleware());
  learn.use('*', originCheck(publicOrigins));
  const who = (c: Context<AppEnv>) => {
    const p = c.get('principal');
    if (!p || !p.mfaPassed || p.mustEnrolMfa) return null;
    return p;
  };
  learn.get('/:enrolment/:lesson', async (c) => {
    const p = who(c);
    if (!p) return c.redirect(`/login?next=${encodeURIComponent(c.req.path)}`, 303);
    if (!allows(p.roles, 'academy.learn')) throw new AppError('NOT_FOUND', 'not found');
    const want = isLocale(c.req.query('lang')) ? (c.req.query('lang') as Locale) : p.locale;
    const s = c.get('services');
    const l = await academyTx(s, p, c.get('requestId'), async (tx) =>
      lessonFor(tx, await ownEnrolment(tx, p, c.req.param('enrolment')), c.req.param('lesson'), want),
    ).catch((e: unknown) => {
      // A lesson of a locked module: back to the course page, which says why it is locked.
      if (e instanceof AppError && e.details?.[0]?.code === 'module_locked') return null;
      throw e;
    });
    if (!l) return c.redirect(`/learning/${encodeURIComponent(c.req.param('enrolment'))}`, 303);
    const t = under('academyPage', want);
    const e = c.req.param('enrolment');
    const body = [
      `<p class="meta">${esc(l.moduleTitle[want])} · ${esc(t('of', { n: l.position.index, m: l.position.of }))} · ${esc(t('min', { n: l.minutes }))}</p>`,
      `<h1>${esc(l.title[want])}</h1>`,
      l.fallback ? `<p class="notice" role="note">${esc(t('fallback'))}</p>` : '',
      `<article class="lesson" lang="${l.locale}" dir="${l.locale === 'ar' || l.locale === 'ur' ? 'rtl' : 'ltr'}">${l.html}</article>`,
      l.completed
        ? `<p class="done">✓ ${esc(t('read'))}</p>`
        : `<form method="post" action="/learn/${esc(e)}/${esc(l.id)}/complete"><button type="submit">${esc(l.next ? t('done') : t('finish'))}</button></form>`,
      `<nav class="pager" aria-label="${esc(t('of').trim())}">${l.previous ? `<a href="/learn/${esc(e)}/${esc(l.previous.id)}" rel="prev">${esc(t('prev'))}</a>` : '<span></span>'}${l.next && l.completed ? `<a href="/learn/${esc(e)}/${esc(l.next.id)}" rel="next">${esc(t('next'))}</a>` : ''}</nav>`,
    ].join('');
    c.header('Cache-Control', 'no-store');
    const back = want === 'ar' || want === 'ur' ? '→' : '←';
    return c.html(page(want, l.title[want], body, `<a href="/learning/${esc(e)}">${back} ${esc(t('back'))}</a>`));
  });
  learn.post('/:enrolment/:lesson/complete', async (c) => {
    const p = who(c);
    if (!p) return c.redirect('/login', 303);
    if (!allows(p.roles, 'academy.learn')) throw new AppError('NOT_FOUND', 'not found');
    const s = c.get('services');
    const e = c.req.param('enrolment');
    const r = await academyTx(s, p, c.get('requestId'), (tx, audit) =>
      completeLesson(s, tx, audit, p, e, c.req.param('lesson')),
    );
    const all = course().modules.flatMap((m) => m.lessons.map((l) => ({ module: m.id, id: l.id })));
    const i = all.findIndex((x) => x.id === c.req.param('lesson'));
    const next = all[i + 1];
    const nextOpen =
      next &&
      r.progress.modules.find((m) => m.id === next.module)?.state !== 'locked' &&
      next.module === all[i]!.module;
    return c.redirect(nextOpen ? `/learn/${e}/${next.id}` : `/learning/${e}`, 303);
  });
  app.route('/learn', learn);

  app.get('/verify/:code?', async (c) => {
    const q = c.req.query('lang');
    const accept = (c.req.header('accept-language') ?? '').slice(0, 2);
    const locale: Locale = isLocale(q) ? q : isLocale(accept) ? accept : 'en';
    const t = under('academyPage', locale);
    const raw = c.req.param('code') ?? c.req.query('code') ?? '';
    const s = c.get('services');
    await rateLimit(s.db, `public:ip:${c.get('clientIp')}`, 120, 60);
    const row = await certificateByCode(s, raw);
    const form = `<form class="inline" method="get" action="/verify"><input type="hidden" name="lang" value="${locale}"><label>${esc(t('code'))} <input name="code" autocomplete="off" maxlength="20" value="${esc(raw.slice(0, 20))}"></label><button type="submit">${esc(t('check'))}</button></form>`;
    let body: string;
    if (!row) {
      body = raw
        ? `<p class="status unknown" role="status">${esc(t('unknown'))}</p><p>${esc(t('unknownHelp'))}</p>${form}`
        : form;
    } else {
      const st = row.status;
      const hijri = locale === 'ar' || locale === 'ur';
      body = `<p class="status ${st}" role="status">${esc(t(st))}</p><dl><dt>${esc(t('name'))}</dt><dd>${esc(row.holder_name)}</dd><dt>${esc(t('course'))}</dt><dd>${esc(course().settings.title[locale])}</dd><dt>${esc(t('issued'))}</dt><dd>${esc(formatDate(row.issued_at, locale, hijri))}</dd><dt>${esc(t('expires'))}</dt><dd>${esc(formatDate(row.expires_at, locale, hijri))}</dd><dt>${esc(t('issuer'))}</dt><dd>${esc(row.tenant_name)} — Sanad Academy</dd><dt>${esc(t('code'))}</dt><dd><bdi dir="ltr">${esc(row.code)}</bdi></dd></dl>`;
    }
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    return c.html(
      page(locale, t('verifyTitle'), `<h1>${esc(t('verifyTitle'))}</h1>${body}`, `<span>Sanad Academy</span>`),
      row || !raw ? 200 : 404,
    );
  });
  return app;
}
