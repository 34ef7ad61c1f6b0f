/**
 * Shared set-up of the browser suites: builds the web app, starts Sanad with demo data on a database
 * of its own, launches Debian's Chromium (headless, no network chatter), and offers axe and
 * screenshot helpers. Each suite calls `useBrowserHarness()` once at top level.
 */
import { DEMO_PASSWORD, demoEmail } from '../../src/server/demo/seed.ts';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import { loadConfig } from '../../src/server/config.ts';
import { startServer, type Running } from '../../src/server/server.ts';
import { freshDatabase, testConfig } from '../helpers.ts';
import { connect } from '../../src/server/db/connection.ts';
import type { Db } from '../../src/server/db/schema.ts';

const SHOTS = path.resolve(import.meta.dirname, '../../test-results/screenshots');

/** What a browser suite works with, filled in by `before`. */
export interface Harness {
  running: Running;
  /** The suite's database as its owner (for tests that play an attacker with database access). */
  ownerUrl: string;
  /**
   * The suite's database as its owner, for checks behind the app's back: the app role sees case
   * rows only inside a transaction bound to a tenant (row-level security).
   */
  owner: Db;
  browser: Browser;
  base: string;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/** The team of a demo user (e.g. `case.manager` → Team A), read as the owner. */
export async function demoTeamOf(h: Harness, local: string): Promise<string> {
  const row = await h.owner
    .selectFrom('team_members as m')
    .innerJoin('users as u', 'u.id', 'm.user_id')
    .select('m.team_id')
    .where('u.email', '=', demoEmail(local))
    .executeTakeFirstOrThrow();
  return row.team_id;
}

/** Registers before/after hooks and returns the harness (usable inside tests). */
export function useBrowserHarness(): Harness {
  const h = {} as Harness;
  let fresh: Awaited<ReturnType<typeof freshDatabase>> | undefined;
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const root = path.resolve(import.meta.dirname, '../..');
    const build = spawnSync(process.execPath, [path.join(root, 'scripts/ensure-web.mjs')], { stdio: 'inherit' });
    assert.equal(build.status, 0, 'web build failed');
    const port = await freePort();
    process.env.SANAD_DEV = 'true';
    // A database of its own: demo data is never seeded next to the unit tests' (real) tenants.
    fresh = await freshDatabase();
    const cfg = {
      ...testConfig(),
      ...loadConfig({ PORT: String(port), SANAD_DEMO: 'true' }),
      databaseUrl: fresh.url,
      databaseOwnerUrl: fresh.ownerUrl,
      masterKeyFile: fresh.keyFile,
      demo: true,
    };
    h.running = await startServer(cfg, { quiet: true });
    h.ownerUrl = fresh.ownerUrl;
    h.owner = connect(fresh.ownerUrl, 2).db;
    h.base = `http://localhost:${port}`;
    h.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    });
  });
  after(async () => {
    await h.browser?.close();
    await h.owner?.destroy();
    await h.running?.stop();
    await fresh?.drop();
  });
  return h;
}

const LANDMARK_RULES = [
  'landmark-unique',
  'landmark-one-main',
  'landmark-no-duplicate-main',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'landmark-main-is-top-level',
  'landmark-banner-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-complementary-is-top-level',
];

/** Fails with the list of violations axe finds on the page: WCAG 2.1 A/AA and the landmark rules. */
export async function axe(page: Page, label: string): Promise<void> {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  // Landmarks (best-practice rules, not WCAG tags): each named once, one main, none nested wrongly.
  const marks = await new AxeBuilder({ page }).withRules(LANDMARK_RULES).analyze();
  const summary = [...r.violations, ...marks.violations].map(
    (v) =>
      `${v.id}: ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 3)
        .join(', ')}`,
  );
  assert.deepEqual(summary, [], `axe violations on ${label}`);
}

/** Saves a full-page screenshot under test-results/screenshots. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** Calls the API from inside the signed-in page (same origin, the session cookie), as the web app does. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read response bodies field by field (see eslint.config.js)
export async function pageApi<T = any>(
  page: Page,
  method: string,
  url: string,
  body?: unknown,
  version?: number,
): Promise<T> {
  const r = await page.evaluate(
    async ({ method, url, body, version }) => {
      const headers: Record<string, string> = { Accept: 'application/json' };
      if (method !== 'GET') headers['Content-Type'] = 'application/json';
      if (version !== undefined) headers['If-Match'] = `"${version}"`;
      const res = await fetch(url, {
        method,
        headers,
        body: body === undefined ? (method === 'GET' ? undefined : '{}') : JSON.stringify(body),
        credentials: 'same-origin',
      });
      return { status: res.status, text: await res.text() };
    },
    { method, url, body, version },
  );
  assert.ok(r.status < 300, `${method} ${url}: ${r.status} ${r.text}`);
  return (r.text ? JSON.parse(r.text) : {}) as T;
}

/** Waits until a condition holds (polling: for server-side effects the screen does not show). */
export async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) assert.fail(`timed out waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The two screen sizes the browser tests look at, and the four language × size combinations. */
export const SIZES = { desk: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;
export type Size = keyof typeof SIZES;
export type Lang = 'en' | 'ar';
export const COMBOS: [Lang, Size][] = [
  ['en', 'desk'],
  ['ar', 'desk'],
  ['en', 'phone'],
  ['ar', 'phone'],
];

/** A message of a web catalogue, by key (the test fails when it is missing). */
export function catalogue(lang: string): (key: string) => string {
  const all = JSON.parse(
    fs.readFileSync(path.resolve(import.meta.dirname, `../../src/web/i18n/${lang}.json`), 'utf8'),
  ) as Record<string, string>;
  return (key) => {
    const v = all[key];
    assert.ok(v, `${lang}: ${key}`);
    return v;
  };
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A pattern matching exactly this text. */
export const exactly = (s: string) => new RegExp(`^${escapeRe(s)}$`);
/** A pattern matching text that starts with this. */
export const startsWith = (s: string) => new RegExp(`^${escapeRe(s)}`);
/** The start of a message, up to its first placeholder. */
export const lead = (s: string) => new RegExp(escapeRe(s.split('{')[0]!.trim()));

/** A signed-in browser page: its context, and the page and console errors it logged (4xx loads aside). */
export interface Session {
  ctx: BrowserContext;
  page: Page;
  errors: string[];
}

/** Signs a demo account in (password only: demo accounts need no second factor) in a new context. */
export async function signInDemo(
  h: Harness,
  email: string,
  viewport: { width: number; height: number } = { width: 1280, height: 900 },
): Promise<Session> {
  const ctx = await h.browser.newContext({ locale: 'en-GB', viewport });
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
  await page.goto(`${h.base}/login`);
  await page.getByLabel(/email/i).fill(email);
  await page.getByLabel(/password/i).fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  return { ctx, page, errors };
}
