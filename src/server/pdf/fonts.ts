/**
 * Font files (OFL Noto TTFs shipped by @expo-google-fonts) loaded once per process, with a HarfBuzz
 * font, the covered code points and the line box used for layout. All three fonts have 1000 upem.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import * as hb from 'harfbuzzjs';
import type { PdfLocale } from './types.ts';

export type FontRole = 'latin' | 'naskh' | 'nastaliq';

export interface Face {
  key: string;
  role: FontRole;
  data: Buffer;
  font: hb.Font;
  upem: number;
  coverage: Set<number>;
  /** Nominal line box above / below the baseline, in em. */
  ascent: number;
  descent: number;
  /** Advance width from hmtx (what the PDF W array must hold), in font units. */
  advance(gid: number): number;
  /** Ink top / bottom of a glyph relative to the baseline, y up, in font units. */
  ink(gid: number): { top: number; bottom: number };
}

const FILES: Record<FontRole, [regular: string, bold: string]> = {
  latin: ['noto-sans/400Regular/NotoSans_400Regular.ttf', 'noto-sans/700Bold/NotoSans_700Bold.ttf'],
  naskh: [
    'noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf',
    'noto-naskh-arabic/700Bold/NotoNaskhArabic_700Bold.ttf',
  ],
  nastaliq: [
    'noto-nastaliq-urdu/400Regular/NotoNastaliqUrdu_400Regular.ttf',
    'noto-nastaliq-urdu/700Bold/NotoNastaliqUrdu_700Bold.ttf',
  ],
};

// Line boxes chosen by rendering: Naskh needs room for marks below, Nastaliq's cascading joins sit
// well above the baseline and its descenders go deep, so it gets a much taller box.
const LINE_BOX: Record<FontRole, [ascent: number, descent: number]> = {
  latin: [1.0, 0.33],
  naskh: [1.0, 0.6],
  nastaliq: [1.45, 0.75],
};

const require = createRequire(import.meta.url);
const faces = new Map<string, Face>();

function loadFace(role: FontRole, bold: boolean): Face {
  const key = `${role}-${bold ? 700 : 400}`;
  const data = fs.readFileSync(require.resolve(`@expo-google-fonts/${FILES[role][bold ? 1 : 0]}`));
  const hbFace = new hb.Face(new hb.Blob(data));
  const font = new hb.Font(hbFace);
  const advances = new Map<number, number>();
  const inks = new Map<number, { top: number; bottom: number }>();
  return {
    key,
    role,
    data,
    font,
    upem: hbFace.upem,
    coverage: new Set(hbFace.collectUnicodes()),
    ascent: LINE_BOX[role][0],
    descent: LINE_BOX[role][1],
    advance(gid) {
      let a = advances.get(gid);
      if (a === undefined) advances.set(gid, (a = font.glyphHAdvance(gid)));
      return a;
    },
    ink(gid) {
      let e = inks.get(gid);
      if (!e) {
        const x = font.glyphExtents(gid);
        e = x ? { top: x.yBearing, bottom: x.yBearing + x.height } : { top: 0, bottom: 0 };
        inks.set(gid, e);
      }
      return e;
    },
  };
}

/** Returns the cached face for a role and weight, loading the font file on first use. */
export function getFace(role: FontRole, bold = false): Face {
  const key = `${role}-${bold ? 700 : 400}`;
  let face = faces.get(key);
  if (!face) faces.set(key, (face = loadFace(role, bold)));
  return face;
}

/** The Arabic-script face a locale uses: Nastaliq for Urdu, Naskh for everything else. */
export function arabicRole(locale: PdfLocale): FontRole {
  return locale === 'ur' ? 'nastaliq' : 'naskh';
}
