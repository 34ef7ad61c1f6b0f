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

/**
 * The stylesheet both pages share (served at /academy/page.css, cached): the app's own look — its
 * colour tokens, type scale and spacing (src/web/styles/base.css, layout.css), the same white top bar
 * with the brand mark — so a lesson or a verification reads as part of Sanad, not another product.
 */
const CSS = `
@font-face{font-family:SanadSans;font-display:swap;src:local('Noto Sans'),local('NotoSans-Regular'),url(/academy/fonts/sans.woff2) format('woff2');unicode-range:U+0000-00FF,U+0131,U+0152-0153,U+02BB-02BC,U+02C6,U+02DA,U+02DC,U+2000-206F,U+20AC,U+2122,U+2191,U+2193,U+2212,U+2215,U+FEFF,U+FFFD}
@font-face{font-family:SanadNaskh;font-display:swap;src:local('Noto Naskh Arabic'),local('NotoNaskhArabic-Regular'),url(/academy/fonts/naskh.woff2) format('woff2');unicode-range:U+0600-06FF,U+0750-077F,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F}
@font-face{font-family:SanadNastaliq;font-display:swap;src:local('Noto Nastaliq Urdu'),local('NotoNastaliqUrdu-Regular'),local('Jameel Noori Nastaleeq');unicode-range:U+0600-06FF,U+0750-077F,U+FB50-FDFF,U+FE70-FEFF,U+200C-200F}
:root{--c-bg:#f6f7f8;--c-surface:#fff;--c-text:#1b1f24;--c-muted:#4d5661;--c-border:#c9d0d6;--c-border-strong:#8a949e;--c-primary:#0b5c6b;--c-primary-hover:#084652;--c-primary-soft:#e3f0f2;--c-success:#1d6b3a;--c-success-soft:#e7f4ec;--c-danger:#a4161a;--c-danger-soft:#fbeaea;--c-warning-text:#5c4100;--c-warning-soft:#fff4d6;--c-focus:#1a5fd1;--radius:6px;--font:SanadSans,'Noto Sans',system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;--line:1.5;--size:.9375rem}
html[lang=ar]{--font:SanadNaskh,'Noto Naskh Arabic',SanadSans,system-ui,Tahoma,sans-serif;--line:1.7;--size:1rem}
html[lang=ur]{--font:SanadNastaliq,SanadNaskh,SanadSans,system-ui,sans-serif;--line:2.3;--size:1rem}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--c-bg);color:var(--c-text);font-family:var(--font);font-size:var(--size);line-height:var(--line)}
h1,h2,h3{line-height:1.3;margin-block:0 .75rem}html[lang=ur] :is(h1,h2,h3){line-height:2}
h1{font-size:1.5rem;font-weight:600}h2{font-size:1.125rem;font-weight:600}
p{margin-block:0 .75rem}
a{color:var(--c-primary);text-underline-offset:.2em}a:hover{color:var(--c-primary-hover)}
:focus-visible{outline:3px solid var(--c-focus);outline-offset:2px}
.skip{position:absolute;inset-inline-start:-999px}.skip:focus{inset-inline-start:8px;top:8px;z-index:2;background:var(--c-surface);padding:8px}
.topbar{background:var(--c-surface);border-block-end:1px solid var(--c-border)}
.topbar-row{display:flex;align-items:center;flex-wrap:wrap;gap:.5rem 1rem;padding:.5rem 1rem;max-inline-size:72rem;margin-inline:auto}
.brand{display:inline-flex;align-items:center;gap:.5rem;color:var(--c-text);font-weight:700;font-size:1.0625rem;text-decoration:none}
.brand-mark{inline-size:1.25rem;block-size:1.25rem;border-radius:4px;background:var(--c-primary);flex:none}
.langs{margin-inline-start:auto}.langs ul{display:flex;gap:.25rem;list-style:none;margin:0;padding:0}
.langs a{display:inline-flex;align-items:center;min-block-size:2.5rem;padding-inline:.6rem;border-radius:var(--radius);text-decoration:none}
.langs a[aria-current]{background:var(--c-primary-soft);color:var(--c-text);font-weight:600}
.back{display:inline-flex;align-items:center;min-block-size:2.75rem}
main{max-inline-size:48rem;margin:1rem auto;padding:1.5rem;background:var(--c-surface);border:1px solid var(--c-border);border-radius:var(--radius)}
.lesson{max-inline-size:68ch;font-size:1.0625rem;overflow-wrap:break-word}
.lesson img,.lesson video{max-inline-size:100%;block-size:auto}.lesson pre,.lesson table{display:block;max-inline-size:100%;overflow-x:auto}
.meta{color:var(--c-muted);font-size:.875rem}
.notice{background:var(--c-warning-soft);color:var(--c-warning-text);border-inline-start:4px solid #d9a400;padding:.5rem .75rem;margin-block:.75rem;border-radius:var(--radius)}
.done{color:var(--c-success);font-weight:600}
.pager{display:flex;justify-content:space-between;gap:.75rem;flex-wrap:wrap;margin-block:1.5rem 0;padding-block-start:1rem;border-block-start:1px solid var(--c-border)}
.pager a{display:inline-flex;align-items:center;min-block-size:2.75rem}
button{font:inherit;font-weight:600;background:var(--c-primary);color:#fff;border:1px solid var(--c-primary);border-radius:var(--radius);padding:.6rem 1.2rem;min-block-size:2.75rem;cursor:pointer}
button:hover{background:var(--c-primary-hover)}
.complete{margin-block:1.5rem}
blockquote{margin-inline:0;padding-inline-start:.75rem;border-inline-start:4px solid var(--c-border);color:var(--c-muted)}
.status{font-size:1.5rem;font-weight:700;padding:1rem;border-radius:var(--radius);margin-block:1rem;text-align:center}
.status.valid{background:var(--c-success-soft);color:var(--c-success)}.status.expired{background:var(--c-warning-soft);color:var(--c-warning-text)}.status.revoked,.status.unknown{background:var(--c-danger-soft);color:var(--c-danger)}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.4rem 1rem}dt{color:var(--c-muted)}dd{margin:0;font-weight:600;overflow-wrap:anywhere}
form.inline{display:flex;gap:.5rem;flex-wrap:wrap;align-items:end}form.inline label{display:flex;flex-direction:column;gap:.25rem}
input{font:inherit;padding:.5rem;min-block-size:2.75rem;border:1px solid var(--c-border-strong);border-radius:var(--radius)}
@media (max-width:40rem){main{margin:0;border:0;border-radius:0;padding:1rem}.complete button{inline-size:100%;min-block-size:3rem}.lesson{font-size:1.0625rem}dl{grid-template-columns:1fr}dd{margin-block-end:.5rem}.topbar-row{padding-inline:.75rem}}
`;

/**
 * Fonts for slow connections: Urdu reads in Nastaliq where the device has it (Android ships Noto
 * Nastaliq Urdu; Windows users often have Jameel Noori), and otherwise in Naskh (~45 KB) rather than
 * downloading the 156 KB Nastaliq webfont, which would put a lesson over 100 KB. The app itself
 * keeps the Nastaliq webfont. Latin text uses the app's Noto Sans (regular, ~13 KB).
 */
const FONTS: Record<string, string> = {
  'naskh.woff2': '@fontsource/noto-naskh-arabic/files/noto-naskh-arabic-arabic-400-normal.woff2',
  'sans.woff2': '@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2',
};

/**
 * The language switch: links to this same page in each language (`?lang=`, other query parameters
 * kept), each named in its own language (`academyPage.self` of that language); the current one marked.
 */
function languageSwitch(locale: Locale, url: string, label: string): string {
  const u = new URL(url);
  const items = (['en', 'ar', 'ur', 'fr'] as const).map((l) => {
    u.searchParams.set('lang', l);
    const href = `${u.pathname}${u.search}`;
    const dir = l === 'ar' || l === 'ur' ? 'rtl' : 'ltr';
    return `<li><a href="${esc(href)}" lang="${l}" dir="${dir}" hreflang="${l}"${l === locale ? ' aria-current="true"' : ''}>${esc(under('academyPage', l)('self'))}</a></li>`;
  });
  return `<nav class="langs" aria-label="${esc(label)}"><ul>${items.join('')}</ul></nav>`;
}

function page(locale: Locale, title: string, body: string, url: string, extra = ''): string {
  const dir = locale === 'ar' || locale === 'ur' ? 'rtl' : 'ltr';
  const t = under('academyPage', locale);
  const header = `<header class="topbar"><div class="topbar-row"><span class="brand"><span class="brand-mark" aria-hidden="true"></span>${esc(t('product'))}</span>${extra}${languageSwitch(locale, url, t('language'))}</div></header>`;
  return `<!doctype html><html lang="${locale}" dir="${dir}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} — ${esc(t('product'))}</title><link rel="stylesheet" href="/academy/page.css"></head><body><a class="skip" href="#main">${esc(t('skip'))}</a>${header}<main id="main">${body}</main></body></html>`;
}

function formatDate(d: Date, locale: Locale, hijri: boolean): string {
  const g = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(d);
  if (!hijri) return g;
  return `${g} — ${new Intl.DateTimeFormat(`${locale}-u-ca-islamic-umalqura`, { dateStyle: 'long', timeZone: 'UTC' }).format(d)}`;
}

/**
 * Where a signed-out reader goes: the sign-in page with `next` set to this same-origin path (and
 * its query, e.g. the chosen language); the sign-in page returns there (web/features/academy/next-path.ts).
 */
function loginWithNext(c: Context<AppEnv>, path?: string): string {
  const u = new URL(c.req.url);
  const target = path ?? `${u.pathname}${u.search}`;
  // Always a path of this server under /learn/ (the sign-in page checks `next` again).
  return `/login?next=${encodeURIComponent(target)}`;
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
    if (!p) return c.redirect(loginWithNext(c), 303);
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
    const lang = isLocale(c.req.query('lang')) ? `?lang=${want}` : '';
    const body = [
      `<p class="meta">${esc(l.moduleTitle[want])} · ${esc(t('of', { n: l.position.index, m: l.position.of }))} · ${esc(t('min', { n: l.minutes }))}</p>`,
      `<h1>${esc(l.title[want])}</h1>`,
      l.fallback ? `<p class="notice" role="note">${esc(t('fallback'))}</p>` : '',
      `<article class="lesson" lang="${l.locale}" dir="${l.locale === 'ar' || l.locale === 'ur' ? 'rtl' : 'ltr'}">${l.html}</article>`,
      l.completed
        ? `<p class="done">✓ ${esc(t('read'))}</p>`
        : `<form class="complete" method="post" action="/learn/${esc(e)}/${esc(l.id)}/complete${lang}"><button type="submit">${esc(l.next ? t('done') : t('finish'))}</button></form>`,
      `<nav class="pager" aria-label="${esc(t('pager'))}">${l.previous ? `<a href="/learn/${esc(e)}/${esc(l.previous.id)}${lang}" rel="prev">${esc(t('prev'))}</a>` : '<span></span>'}${l.next && l.completed ? `<a href="/learn/${esc(e)}/${esc(l.next.id)}${lang}" rel="next">${esc(t('next'))}</a>` : ''}</nav>`,
    ].join('');
    c.header('Cache-Control', 'no-store');
    const back = want === 'ar' || want === 'ur' ? '→' : '←';
    return c.html(
      page(
        want,
        l.title[want],
        `<p><a class="back" href="/learning/${esc(e)}"><span aria-hidden="true">${back}</span>&nbsp;${esc(t('back'))}</a></p>${body}`,
        c.req.url,
      ),
    );
  });
  learn.post('/:enrolment/:lesson/complete', async (c) => {
    const p = who(c);
    // Signed out meanwhile: sign in and come back to the lesson (the form is not re-sent).
    if (!p) return c.redirect(loginWithNext(c, `/learn/${c.req.param('enrolment')}/${c.req.param('lesson')}`), 303);
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
    const lang = isLocale(c.req.query('lang')) ? `?lang=${c.req.query('lang')}` : '';
    return c.redirect(nextOpen ? `/learn/${e}/${next.id}${lang}` : `/learning/${e}`, 303);
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
      body = `<p class="status ${st}" role="status">${esc(t(st))}</p><dl><dt>${esc(t('name'))}</dt><dd>${esc(row.holder_name)}</dd><dt>${esc(t('course'))}</dt><dd>${esc(course().settings.title[locale])}</dd><dt>${esc(t('issued'))}</dt><dd>${esc(formatDate(row.issued_at, locale, hijri))}</dd><dt>${esc(t('expires'))}</dt><dd>${esc(formatDate(row.expires_at, locale, hijri))}</dd><dt>${esc(t('issuer'))}</dt><dd>${esc(row.tenant_name)} — ${esc(t('product'))}</dd><dt>${esc(t('code'))}</dt><dd><bdi dir="ltr">${esc(row.code)}</bdi></dd></dl>`;
    }
    c.header('Cache-Control', 'no-store');
    c.header('X-Robots-Tag', 'noindex');
    return c.html(
      // The language links keep a certificate that was found; an unknown code is not echoed back.
      page(
        locale,
        t('verifyTitle'),
        `<h1>${esc(t('verifyTitle'))}</h1>${body}`,
        new URL(row ? `/verify/${encodeURIComponent(row.code)}` : '/verify', c.req.url).href,
      ),
      row || !raw ? 200 : 404,
    );
  });
  return app;
}
