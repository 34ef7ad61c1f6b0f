/**
 * The built web app respects the server's CSP (no inline <script>/<style> in index.html, no
 * module-preload polyfill) and the initial-load budget (≤ 150 KB gzip of the JS and CSS that
 * index.html references directly). Builds into a temporary directory with the real vite config.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const BUDGET = 150 * 1024;

test(
  'built index.html has no inline script or style and stays within the gzip budget',
  { timeout: 120_000 },
  async () => {
    const { build } = await import('vite');
    const outDir = mkdtempSync(join(tmpdir(), 'sanad-web-'));
    try {
      await build({
        root,
        configFile: join(root, 'vite.config.ts'),
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true },
      });
      const html = readFileSync(join(outDir, 'index.html'), 'utf8');
      for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
        assert.match(m[1] ?? '', /\bsrc=/, `inline <script> in index.html: ${m[0].slice(0, 80)}`);
        assert.equal((m[2] ?? '').trim(), '', 'a <script src> must have no inline body');
      }
      assert.doesNotMatch(html, /<style\b/i, 'inline <style> in index.html');
      assert.doesNotMatch(html, /\sstyle=/i, 'style attribute in index.html');
      assert.doesNotMatch(html, /\son[a-z]+=/i, 'inline event handler in index.html');

      const refs = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
      assert.ok(
        refs.some((r) => r.endsWith('.js')),
        'no entry script referenced',
      );
      let total = 0;
      for (const r of refs) {
        const body = readFileSync(join(outDir, r));
        // Vite's polyfill scans existing preload links and watches for new ones (processPreload).
        const polyfill = /querySelectorAll\(\s*["']link\[rel=\\?["']?modulepreload/.test(body.toString('utf8'));
        assert.ok(!polyfill, `${r} carries the modulepreload polyfill`);
        total += gzipSync(body, { level: 9 }).length;
      }
      assert.ok(total <= BUDGET, `initial JS+CSS is ${(total / 1024).toFixed(1)} KB gzip (budget 150 KB)`);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  },
);
