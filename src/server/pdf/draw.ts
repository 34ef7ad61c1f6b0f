/**
 * Draws laid-out lines into a pdfkit document as positioned glyph ids. pdfkit embeds and subsets the
 * fonts (fontkit) and writes the ToUnicode map; HarfBuzz decided the glyphs and positions, so we
 * bypass pdfkit's own text layout, which neither runs bidi nor shapes Nastaliq.
 */
import type PDFDocument from 'pdfkit';
import type { Face } from './fonts.ts';
import type { Line } from './text.ts';

/** The parts of pdfkit's EmbeddedFont we rely on (not in its public typings). */
interface EmbeddedFont {
  id: string;
  subset: { includeGlyph(gid: number): number };
  widths: number[];
  unicode: number[][];
  ref(): unknown;
}

type Doc = InstanceType<typeof PDFDocument>;
type DocInternals = Doc & { _font: EmbeddedFont };
/** The current page as drawLine uses it (pdfkit types `fonts` as `any`: resource name → font reference). */
type PageResources = { height: number; fonts: Record<string, unknown> };

const num = (n: number) => (Math.abs(n) < 1e-6 ? '0' : n.toFixed(3).replace(/\.?0+$/, ''));
const hex4 = (n: number) => n.toString(16).padStart(4, '0');

function utf16Hex(text: string): string {
  let out = 'FEFF';
  for (let i = 0; i < text.length; i++) out += hex4(text.charCodeAt(i));
  return out;
}

/** Per-document registry of embedded fonts (one pdfkit font object per face). */
export class DocFonts {
  private readonly fonts = new Map<string, EmbeddedFont>();
  constructor(private readonly doc: Doc) {}

  /** Embedded pdfkit font for a face, registered on first use. */
  get(face: Face): EmbeddedFont {
    let f = this.fonts.get(face.key);
    if (!f) {
      this.doc.registerFont(face.key, face.data);
      this.doc.font(face.key);
      f = (this.doc as DocInternals)._font;
      this.fonts.set(face.key, f);
    }
    return f;
  }
}

/** Draws one line with its left edge at x and its baseline at y (pdfkit's top-down coordinates). */
export function drawLine(doc: Doc, fonts: DocFonts, line: Line, x: number, baseline: number, color: string): void {
  if (!line.runs.length) return;
  const page: PageResources = doc.page;
  const pageH = page.height;
  doc.fillColor(color);
  const ops: string[] = ['q', `1 0 0 -1 0 ${num(pageH)} cm`, 'BT'];
  for (const run of line.runs) {
    const { face, glyphs, text, rtl } = run.shaped;
    const ef = fonts.get(face);
    page.fonts[ef.id] ??= ef.ref();
    const size = run.size;
    const scale = size / face.upem;
    // Cluster boundaries give each glyph the characters it stands for (ToUnicode map).
    const clusterStarts = [...new Set(glyphs.map((g) => g.cluster))].sort((a, b) => a - b);
    const clusterEnd = (c: number) => clusterStarts.find((s) => s > c) ?? text.length;
    const seen = new Set<number>();
    // Right-to-left and shaped text: give extractors the logical string (poppler, Acrobat honour it).
    if (rtl) ops.push(`/Span <</ActualText <${utf16Hex(text)}>>> BDC`);
    ops.push(`/${ef.id} ${num(size)} Tf`);
    let penX = 0;
    let curX = NaN;
    let curY = NaN;
    let tj: string[] = [];
    const flush = () => {
      if (tj.length) ops.push(`[${tj.join(' ')}] TJ`);
      tj = [];
    };
    for (const g of glyphs) {
      const gx = x + run.x + (penX + g.dx) * scale;
      const gy = pageH - baseline + g.dy * scale;
      penX += g.ax;
      const cid = ef.subset.includeGlyph(g.gid);
      if (ef.widths[cid] == null) ef.widths[cid] = Math.round((face.advance(g.gid) * 1000) / face.upem);
      if (ef.unicode[cid] == null) {
        const chars = seen.has(g.cluster) ? '\u200b' : text.slice(g.cluster, clusterEnd(g.cluster));
        ef.unicode[cid] = [...chars].map((c) => c.codePointAt(0)!);
      }
      seen.add(g.cluster);
      if (Math.abs(gy - curY) > 1e-3 || !Number.isFinite(curX)) {
        flush();
        ops.push(`1 0 0 1 ${num(gx)} ${num(gy)} Tm`);
      } else if (Math.abs(gx - curX) > 1e-3) {
        tj.push(num(((curX - gx) * 1000) / size));
      }
      tj.push(`<${hex4(cid)}>`);
      curX = gx + (ef.widths[cid] * size) / 1000;
      curY = gy;
    }
    flush();
    if (rtl) ops.push('EMC');
  }
  ops.push('ET', 'Q');
  doc.addContent(ops.join('\n'));
}
