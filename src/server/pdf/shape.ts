/** HarfBuzz shaping of single-font, single-direction runs, cached by text. */
import * as hb from 'harfbuzzjs';
import type { Face } from './fonts.ts';

export interface Glyph {
  gid: number;
  /** Index in the run's text of the first character this glyph comes from. */
  cluster: number;
  ax: number;
  dx: number;
  dy: number;
}

export interface Shaped {
  face: Face;
  rtl: boolean;
  text: string;
  /** In visual (left-to-right) order, as HarfBuzz returns them. Units: font units. */
  glyphs: Glyph[];
  advance: number;
}

const buffer = new hb.Buffer();
const cache = new Map<string, Shaped>();
const CACHE_LIMIT = 20_000;

/** Shapes text with one face in one direction (language tag matters for Urdu forms). */
export function shape(face: Face, text: string, rtl: boolean, lang: string): Shaped {
  const key = `${face.key}\u0000${rtl ? 1 : 0}${lang}\u0000${text}`;
  const hit = cache.get(key);
  if (hit) return hit;
  buffer.reset();
  buffer.addText(text);
  buffer.guessSegmentProperties();
  buffer.setDirection(rtl ? hb.Direction.RTL : hb.Direction.LTR);
  buffer.setLanguage(lang);
  hb.shape(face.font, buffer);
  const glyphs: Glyph[] = [];
  let advance = 0;
  for (const g of buffer.getGlyphInfosAndPositions()) {
    const ax = g.xAdvance ?? 0;
    glyphs.push({ gid: g.codepoint, cluster: g.cluster, ax, dx: g.xOffset ?? 0, dy: g.yOffset ?? 0 });
    advance += ax;
  }
  const shaped: Shaped = { face, rtl, text, glyphs, advance };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, shaped);
  return shaped;
}
