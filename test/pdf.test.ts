/**
 * PDF engine: valid multi-page PDFs in en/ar/ur, correct joining and bidi order at the glyph level,
 * and — with poppler-utils (pdftoppm/pdftotext/pdfinfo) — rendered pages that are not blank, RTL
 * layout on the right-hand side, extractable text and clean metadata.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { renderDocument, type PdfLocale } from '../src/server/pdf/index.ts';
import { sampleCaseSummary } from '../src/server/pdf/sample.ts';
import { getFace } from '../src/server/pdf/fonts.ts';
import { shape } from '../src/server/pdf/shape.ts';
import { layoutText } from '../src/server/pdf/text.ts';

const hasTool = (bin: string) => spawnSync(bin, ['-v']).error === undefined;
const POPPLER = hasTool('pdftoppm') && hasTool('pdftotext') && hasTool('pdfinfo');
const SKIP_NOTE = 'poppler-utils not installed (apt-get install -y poppler-utils): rendering checks skipped';
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'sanad-pdf-'));
const pdfs = new Map<PdfLocale, string>();

async function rendered(locale: PdfLocale): Promise<{ file: string; buf: Buffer }> {
  const file = path.join(tmp, `${locale}.pdf`);
  if (!pdfs.has(locale)) {
    fs.writeFileSync(file, await renderDocument(sampleCaseSummary(locale)));
    pdfs.set(locale, file);
  }
  return { file, buf: fs.readFileSync(file) };
}

/** Rasterises a region of page 1 (72 dpi, so 1 px = 1 pt) to grey levels. */
function greyPage1(file: string, crop?: { x: number; y: number; w: number; h: number }) {
  const out = path.join(tmp, `grey-${path.basename(file)}-${crop ? crop.y : 'full'}`);
  const args = ['-gray', '-r', '72', '-f', '1', '-l', '1', '-singlefile'];
  if (crop) args.push('-x', `${crop.x}`, '-y', `${crop.y}`, '-W', `${crop.w}`, '-H', `${crop.h}`);
  execFileSync('pdftoppm', [...args, file, out]);
  const data = fs.readFileSync(`${out}.pgm`);
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'))!;
  const [w, h] = [Number(header[1]), Number(header[2])];
  return { w, h, px: data.subarray(header[0].length) };
}

function ink(img: { w: number; h: number; px: Buffer }) {
  let count = 0;
  let sumX = 0;
  for (let i = 0; i < img.px.length; i++)
    if (img.px[i]! < 128) {
      count++;
      sumX += i % img.w;
    }
  return { fraction: count / img.px.length, centroidX: count ? sumX / count / img.w : NaN };
}

for (const locale of ['en', 'ar', 'ur'] as const) {
  test(`${locale}: the case summary is a valid PDF of several pages`, async (t) => {
    const { file, buf } = await rendered(locale);
    assert.equal(buf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(buf.subarray(-8).toString('latin1'), /%%EOF\s*$/);
    const pageObjects = buf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? [];
    assert.ok(pageObjects.length >= 2, `expected ≥ 2 pages (34-row table), got ${pageObjects.length}`);
    if (!POPPLER) return t.diagnostic(SKIP_NOTE);
    const info = execFileSync('pdfinfo', [file]).toString();
    assert.equal(Number(/Pages:\s+(\d+)/.exec(info)![1]), pageObjects.length);
    assert.match(info, /Creator:\s+Sanad/);
    assert.doesNotMatch(info, /Author:/);
    assert.match(info, new RegExp(`Title:\\s+${sampleCaseSummary(locale).title}`));
  });

  test(`${locale}: page 1 renders with ink, the title on the ${locale === 'en' ? 'left' : 'right'}`, async (t) => {
    if (!POPPLER) return t.diagnostic(SKIP_NOTE);
    const { file } = await rendered(locale);
    const page = ink(greyPage1(file));
    assert.ok(page.fraction > 0.01, `page 1 looks blank (${(page.fraction * 100).toFixed(2)}% ink)`);
    // Title band (the title sits at the top margin, 54 pt).
    const title = ink(greyPage1(file, { x: 0, y: 50, w: 595, h: 30 }));
    assert.ok(title.fraction > 0.005, 'no title ink');
    if (locale === 'en') assert.ok(title.centroidX < 0.4, `LTR title should start on the left (${title.centroidX})`);
    else assert.ok(title.centroidX > 0.6, `RTL title should start on the right (${title.centroidX})`);
  });
}

test('en: extracted text contains the title, the participant code and page numbers', async (t) => {
  if (!POPPLER) return t.diagnostic(SKIP_NOTE);
  const { file } = await rendered('en');
  const text = execFileSync('pdftotext', ['-layout', file, '-']).toString();
  assert.match(text, /Participant case summary/);
  assert.match(text, /SN-7K3M9Q/);
  assert.match(text, /Generated 2025-01-31 — confidential/);
  assert.match(text, /\b1 ?\/ ?2\b/);
  assert.match(text, /\b2 ?\/ ?2\b/);
});

test('ar: the embedded participant code is extractable left-to-right', async (t) => {
  if (!POPPLER) return t.diagnostic(SKIP_NOTE);
  const { file } = await rendered('ar');
  assert.match(execFileSync('pdftotext', [file, '-']).toString(), /SN-7K3M9Q/);
});

test('Arabic is joined: contextual forms and the lam-alef ligature', () => {
  const naskh = getFace('naskh');
  const isolated = shape(naskh, 'ب', true, 'ar')
    .glyphs.map((g) => g.gid)
    .sort();
  const word = shape(naskh, 'بيت', true, 'ar').glyphs;
  const initial = word
    .filter((g) => g.cluster === 0)
    .map((g) => g.gid)
    .sort();
  assert.notDeepEqual(initial, isolated, 'beh at word start must take its initial form');
  // Noto Naskh draws lam-alef as a pair of dedicated contextual glyphs rather than one ligature glyph.
  const lamAlef = shape(naskh, 'لا', true, 'ar').glyphs.map((g) => g.gid);
  const apart = [...shape(naskh, 'ل', true, 'ar').glyphs, ...shape(naskh, 'ا', true, 'ar').glyphs].map((g) => g.gid);
  assert.equal(lamAlef.length, 2);
  assert.ok(
    lamAlef.every((gid) => !apart.includes(gid)),
    'lam-alef must use its special forms',
  );
});

test('Urdu Nastaliq cascades: glyphs are raised along the word', () => {
  const glyphs = shape(getFace('nastaliq'), 'کنندہ', true, 'ur').glyphs;
  assert.ok(
    glyphs.some((g) => g.dy !== 0),
    'Nastaliq shaping should offset glyphs vertically',
  );
});

test('bidi: a code inside Arabic stays one left-to-right run, the sentence runs right-to-left', () => {
  const [line, ...rest] = layoutText(
    'رمز المشارك SN-7K3M9Q هو 25 عاما',
    { size: 10 },
    { locale: 'ar', rtl: true },
    500,
  );
  assert.equal(rest.length, 0);
  const runs = line!.runs.map((r) => ({ text: r.shaped.text, rtl: r.shaped.rtl, x: r.x, font: r.shaped.face.role }));
  const code = runs.find((r) => r.text === 'SN-7K3M9Q');
  assert.ok(code, `code split across runs: ${JSON.stringify(runs)}`);
  assert.equal(code.rtl, false);
  assert.equal(code.font, 'latin');
  const first = runs.find((r) => r.text.startsWith('رمز'))!;
  const last = runs.find((r) => r.text === 'عاما')!;
  const num = runs.find((r) => r.text === '25')!;
  assert.ok(first.x > code.x && code.x > num.x && num.x > last.x, 'visual order must be right-to-left');
  assert.equal(first.font, 'naskh');
  const [neg] = layoutText('الرصيد -12 دينارا', { size: 10 }, { locale: 'ar', rtl: true }, 500);
  assert.ok(
    neg!.runs.some((r) => r.shaped.text === '-12' && !r.shaped.rtl),
    'a signed number keeps its sign in front',
  );
});

test('long text wraps within the width and tables break pages with the header repeated', async () => {
  const lines = layoutText('word '.repeat(200), { size: 10 }, { locale: 'en', rtl: false }, 200);
  assert.ok(lines.length > 5 && lines.every((l) => l.width <= 200.01));
  const doc = sampleCaseSummary('en', 120);
  const buf = await renderDocument(doc);
  const pages = buf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)!.length;
  assert.ok(pages >= 4, `120 rows should need ≥ 4 pages, got ${pages}`);
});

test('a 3-page document renders well under a second once warm', async (t) => {
  await renderDocument(sampleCaseSummary('ur', 5));
  const doc = sampleCaseSummary('ur', 45);
  const t0 = performance.now();
  await renderDocument(doc);
  const ms = performance.now() - t0;
  t.diagnostic(`3-page Urdu document: ${ms.toFixed(0)} ms`);
  assert.ok(ms < 1500, `took ${ms.toFixed(0)} ms`);
});
