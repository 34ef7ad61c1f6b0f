/**
 * Paragraph layout: bidi levels → font per character by script → greedy line breaking on shaped
 * widths → per line, visual runs (bidi reordering) shaped with HarfBuzz and placed left to right.
 */
import { arabicRole, getFace, type Face } from './fonts.ts';
import { embeddingLevels, isBidiControl, isolateLatinSpans, visualOrder, type EmbeddingLevels } from './bidi.ts';
import { shape, type Shaped } from './shape.ts';
import type { PdfLocale } from './types.ts';

export interface TextStyle {
  size: number;
  bold?: boolean;
}

export interface TextContext {
  locale: PdfLocale;
  rtl: boolean;
}

export interface PlacedRun {
  shaped: Shaped;
  /** Left edge of the run relative to the line's left edge, in points. */
  x: number;
  size: number;
}

export interface Line {
  runs: PlacedRun[];
  width: number;
  ascent: number;
  descent: number;
}

interface Prepared {
  text: string;
  levels: EmbeddingLevels;
  faces: (Face | null)[];
  lang: string;
  /** The locale's main face: every line is at least its line box tall (like a CSS strut). */
  strut: Face;
}

const ARABIC_SCRIPT = /[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]/;
const STRONG = /[\p{L}\p{N}]/u;
const MARK = /\p{M}/u;

function assignFaces(text: string, locale: PdfLocale, bold: boolean): (Face | null)[] {
  const latin = getFace('latin', bold);
  const arabic = getFace(arabicRole(locale), bold);
  const fallback = locale === 'ar' || locale === 'ur' ? arabic : latin;
  const faces = new Array<Face | null>(text.length).fill(null);
  const covers = (f: Face | null | undefined, cp: number): f is Face => !!f && f.coverage.has(cp);
  // Pass 1: characters with a script of their own pick their font.
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const cp = ch.charCodeAt(0);
    if (isBidiControl(cp)) continue;
    if (ARABIC_SCRIPT.test(ch)) faces[i] = arabic;
    else if (STRONG.test(ch)) faces[i] = covers(latin, cp) ? latin : arabic;
  }
  // Pass 2: marks, spaces and punctuation follow their neighbour, so runs stay whole.
  for (let i = 0; i < text.length; i++) {
    const cp = text.charCodeAt(i);
    if (faces[i] || isBidiControl(cp)) continue;
    let prev: Face | null = null;
    for (let j = i - 1; j >= 0 && !prev; j--) prev = faces[j] ?? null;
    if (MARK.test(text[i]!) && prev) {
      faces[i] = prev;
      continue;
    }
    let next: Face | null = null;
    for (let j = i + 1; j < text.length && !next; j++) if (!isBidiControl(text.charCodeAt(j))) next = faces[j] ?? null;
    // Nastaliq's space is very narrow; next to Latin text use the Latin space.
    const order = /\s/.test(text[i]!) && (prev === latin || next === latin) ? [latin, prev, next] : [prev, next];
    faces[i] = [...order, fallback, latin, arabic].find((f) => covers(f, cp)) ?? fallback;
  }
  return faces;
}

const prepared = new Map<string, Prepared>();
const RTL_LETTER = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;

function prepare(raw: string, style: TextStyle, ctx: TextContext): Prepared {
  const key = `${ctx.locale}${ctx.rtl ? 1 : 0}${style.bold ? 1 : 0}\u0000${raw}`;
  let p = prepared.get(key);
  if (p) return p;
  // Text with no right-to-left letters at all (a Latin team name, a code, a date) keeps its own
  // left-to-right order even in an RTL document, like dir="auto" would; it is still aligned right.
  const rtl = ctx.rtl && RTL_LETTER.test(raw);
  const text = rtl ? isolateLatinSpans(raw) : raw;
  p = {
    text,
    levels: embeddingLevels(text, rtl),
    faces: assignFaces(text, ctx.locale, !!style.bold),
    lang: ctx.locale,
    strut: getFace(ctx.locale === 'en' || ctx.locale === 'fr' ? 'latin' : arabicRole(ctx.locale), !!style.bold),
  };
  if (prepared.size > 5000) prepared.clear();
  prepared.set(key, p);
  return p;
}

/** Splits [start, end) into maximal runs of one face and one level, each as [from, to). */
function logicalRuns(p: Prepared, start: number, end: number): [number, number][] {
  const runs: [number, number][] = [];
  let from = -1;
  for (let i = start; i <= end; i++) {
    const f = i < end ? p.faces[i] : null;
    if (from >= 0 && (f !== p.faces[from] || p.levels.levels[i] !== p.levels.levels[from] || i === end)) {
      runs.push([from, i]);
      from = -1;
    }
    if (from < 0 && f) from = i;
  }
  return runs;
}

function spanWidth(p: Prepared, start: number, end: number, size: number): number {
  let w = 0;
  for (const [a, b] of logicalRuns(p, start, end)) {
    const s = shape(p.faces[a]!, p.text.slice(a, b), (p.levels.levels[a]! & 1) === 1, p.lang);
    w += (s.advance * size) / s.face.upem;
  }
  return w;
}

function buildLine(p: Prepared, start: number, end: number, size: number): Line {
  const order = visualOrder(p.text, p.levels, start, end).filter((i) => p.faces[i]);
  const runs: PlacedRun[] = [];
  let x = 0;
  let ascent = p.strut.ascent * size;
  let descent = p.strut.descent * size;
  for (let k = 0; k < order.length;) {
    const first = order[k]!;
    const rtl = (p.levels.levels[first]! & 1) === 1;
    let last = first;
    let n = k + 1;
    while (n < order.length) {
      const i = order[n]!;
      const contiguous = rtl ? i === last - 1 : i === last + 1;
      if (!contiguous || p.faces[i] !== p.faces[first] || p.levels.levels[i] !== p.levels.levels[first]) break;
      last = i;
      n++;
    }
    const [a, b] = rtl ? [last, first + 1] : [first, last + 1];
    const shaped = shape(p.faces[first]!, p.text.slice(a, b), rtl, p.lang);
    const face = shaped.face;
    const scale = size / face.upem;
    ascent = Math.max(ascent, face.ascent * size);
    descent = Math.max(descent, face.descent * size);
    for (const g of shaped.glyphs) {
      const ink = face.ink(g.gid);
      ascent = Math.max(ascent, (ink.top + g.dy) * scale);
      descent = Math.max(descent, -(ink.bottom + g.dy) * scale);
    }
    runs.push({ shaped, x, size });
    x += shaped.advance * scale;
    k = n;
  }
  return { runs, width: x, ascent, descent };
}

/** Breaks one bidi paragraph into lines no wider than maxWidth. */
function layoutParagraph(raw: string, style: TextStyle, ctx: TextContext, maxWidth: number): Line[] {
  const p = prepare(raw, style, ctx);
  const { text } = p;
  const lines: Line[] = [];
  let lineStart = 0;
  let lineWidth = 0; // width of [lineStart, pos) including trailing spaces
  let pos = 0;
  const isSpace = (i: number) => text[i] === ' ';
  while (pos < text.length) {
    // next token: [pos, wordEnd) non-space, then spaces up to tokEnd
    let wordEnd = pos;
    while (wordEnd < text.length && !isSpace(wordEnd)) wordEnd++;
    let tokEnd = wordEnd;
    while (tokEnd < text.length && isSpace(tokEnd)) tokEnd++;
    const wordW = spanWidth(p, pos, wordEnd, style.size);
    if (lineWidth + wordW > maxWidth + 0.01 && pos > lineStart) {
      lines.push(buildLine(p, lineStart, trimEnd(text, pos), style.size));
      lineStart = pos;
      lineWidth = 0;
    }
    if (wordW > maxWidth && pos === lineStart) {
      // A single word wider than the line: cut it where it stops fitting.
      let cut = pos + 1;
      while (cut < wordEnd && spanWidth(p, pos, cut + 1, style.size) <= maxWidth) cut++;
      if (cut < wordEnd) {
        lines.push(buildLine(p, pos, cut, style.size));
        lineStart = pos = cut;
        continue;
      }
    }
    lineWidth += wordW + spanWidth(p, wordEnd, tokEnd, style.size);
    pos = tokEnd;
  }
  lines.push(buildLine(p, lineStart, trimEnd(text, text.length), style.size));
  return lines;
}

function trimEnd(text: string, end: number): number {
  while (end > 0 && text[end - 1] === ' ') end--;
  return end;
}

function clean(text: string): string {
  return text.replace(/\t/g, ' ').replace(/[\u0000-\u0008\u000B-\u001F\u007F]/g, '');
}

/** Lays out text (newlines are hard breaks) into lines that fit maxWidth points. */
export function layoutText(text: string, style: TextStyle, ctx: TextContext, maxWidth: number): Line[] {
  return clean(text)
    .split(/\r?\n/)
    .flatMap((para) => layoutParagraph(para.replace(/ +/g, ' ').trim(), style, ctx, maxWidth));
}

/** Natural single-line width and widest word of a text, used to size table columns. */
export function measureText(text: string, style: TextStyle, ctx: TextContext): { natural: number; minWord: number } {
  let natural = 0;
  let minWord = 0;
  for (const para of clean(text).split(/\r?\n/)) {
    const p = prepare(para.replace(/ +/g, ' ').trim(), style, ctx);
    natural = Math.max(natural, spanWidth(p, 0, p.text.length, style.size));
    let s = 0;
    for (let i = 0; i <= p.text.length; i++) {
      if (i === p.text.length || p.text[i] === ' ') {
        if (i > s) minWord = Math.max(minWord, spanWidth(p, s, i, style.size));
        s = i + 1;
      }
    }
  }
  return { natural, minWord };
}

/** Total height of laid-out lines. */
export function linesHeight(lines: Line[]): number {
  return lines.reduce((h, l) => h + l.ascent + l.descent, 0);
}
