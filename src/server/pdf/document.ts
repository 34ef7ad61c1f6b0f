/**
 * Page layout of a PdfDoc: header, blocks with automatic page breaks (tables repeat their header),
 * running title and "n / N" footer on every page. Mirrored for right-to-left locales.
 */
import QRCode from 'qrcode';
import PDFDocument from 'pdfkit';
import { DocFonts, drawLine } from './draw.ts';
import { layoutText, linesHeight, measureText, type Line, type TextContext, type TextStyle } from './text.ts';
import { isRtlLocale, type Block, type PdfDoc } from './types.ts';

const A4 = { w: 595.28, h: 841.89 };
const M = { side: 50, top: 54, bottom: 62 };
const COLOR = { text: '#1d232b', muted: '#5b6673', accent: '#1f4e79', rule: '#c9d1da', fill: '#eef2f6' };
const STYLE = {
  title: { size: 18, bold: true },
  subtitle: { size: 11 },
  heading: { size: 13, bold: true },
  body: { size: 10.5 },
  label: { size: 10, bold: true },
  cell: { size: 9.5 },
  cellHead: { size: 9.5, bold: true },
  small: { size: 8.5 },
} satisfies Record<string, TextStyle>;
const CELL_PAD = { x: 5, y: 3 };

type Doc = InstanceType<typeof PDFDocument>;
type Align = 'start' | 'end' | 'center';
type Cell = { lines: Line[]; x: number; width: number; color: string; align?: Align };

/** Lays a PdfDoc out onto a pdfkit document; `render()` then `doc.end()` produce the bytes. */
export class Renderer {
  readonly doc: Doc;
  private readonly fonts: DocFonts;
  private readonly ctx: TextContext;
  private y = M.top;
  private readonly left = M.side;
  private readonly right = A4.w - M.side;
  private readonly bottom = A4.h - M.bottom;

  constructor(private readonly spec: PdfDoc) {
    this.ctx = { locale: spec.locale, rtl: isRtlLocale(spec.locale) };
    this.doc = new PDFDocument({
      size: 'A4',
      margin: 0,
      bufferPages: true,
      lang: spec.locale,
      displayTitle: true,
      info: { Title: spec.title, Subject: spec.subtitle ?? '', Creator: 'Sanad', Producer: 'Sanad' },
    });
    this.fonts = new DocFonts(this.doc);
  }

  /** Lays out every block, then stamps running headers and footers once the page count is known. */
  render(): void {
    this.header();
    for (const block of this.spec.blocks) this.block(block);
    this.stampPages();
  }

  private get width() {
    return this.right - this.left;
  }

  private lines(text: string, style: TextStyle, width: number): Line[] {
    return layoutText(text, style, this.ctx, width);
  }

  /** Draws lines from the current y within [x, x+width], aligned to the logical start by default. */
  private drawLines(lines: Line[], x: number, width: number, y: number, color: string, align: Align = 'start'): number {
    for (const line of lines) {
      const startRight = this.ctx.rtl ? align === 'start' : align === 'end';
      const lx = align === 'center' ? x + (width - line.width) / 2 : startRight ? x + width - line.width : x;
      drawLine(this.doc, this.fonts, line, lx, y + line.ascent, color);
      y += line.ascent + line.descent;
    }
    return y;
  }

  /** Draws side-by-side cells with their first baselines aligned; returns the tallest cell's height. */
  private drawCells(cells: Cell[], y: number, dryRun = false): number {
    const firstAscent = Math.max(0, ...cells.map((c) => c.lines[0]?.ascent ?? 0));
    let h = 0;
    for (const c of cells) {
      const shift = firstAscent - (c.lines[0]?.ascent ?? firstAscent);
      if (!dryRun) this.drawLines(c.lines, c.x, c.width, y + shift, c.color, c.align);
      h = Math.max(h, shift + linesHeight(c.lines));
    }
    return h;
  }

  private newPage(): void {
    this.doc.addPage({ size: 'A4', margin: 0 });
    this.y = M.top;
  }

  private ensure(height: number): void {
    if (this.y + height > this.bottom && this.y > M.top) this.newPage();
  }

  private rule(y: number, color = COLOR.rule, width = 0.6): void {
    this.doc.save().moveTo(this.left, y).lineTo(this.right, y).lineWidth(width).strokeColor(color).stroke().restore();
  }

  private header(): void {
    const title = this.lines(this.spec.title, STYLE.title, this.width);
    this.y = this.drawLines(title, this.left, this.width, this.y, COLOR.accent);
    if (this.spec.subtitle) {
      const sub = this.lines(this.spec.subtitle, STYLE.subtitle, this.width);
      this.y = this.drawLines(sub, this.left, this.width, this.y + 2, COLOR.muted);
    }
    this.y += 6;
    this.rule(this.y, COLOR.accent, 1);
    this.y += 10;
  }

  private block(block: Block): void {
    switch (block.type) {
      case 'heading':
        return this.heading(block.text);
      case 'paragraph':
        return this.paragraph(block.text);
      case 'keyValue':
        return this.keyValue(block.rows);
      case 'table':
        return this.table(block.columns, block.rows);
      case 'spacer':
        this.y += 12;
        return;
      case 'qr':
        return this.qr(block.data, block.caption);
    }
  }

  /** Draws a QR code as filled squares (vector, sharp at any zoom), centred, with a quiet zone. */
  private qr(data: string, caption?: string): void {
    const code = QRCode.create(data, { errorCorrectionLevel: 'M' });
    const n = code.modules.size;
    const size = 110;
    const cell = size / (n + 8);
    const captionLines = caption ? this.lines(caption, STYLE.label, this.width) : [];
    this.ensure(size + linesHeight(captionLines) + 8);
    const x0 = this.left + (this.width - size) / 2 + 4 * cell;
    const y0 = this.y + 4 * cell;
    this.doc.save().fillColor('#000000');
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) if (code.modules.get(r, c)) this.doc.rect(x0 + c * cell, y0 + r * cell, cell, cell);
    this.doc.fill().restore();
    this.y += size;
    if (captionLines.length)
      this.y = this.drawLines(captionLines, this.left, this.width, this.y, COLOR.muted, 'center');
    this.y += 8;
  }

  private heading(text: string): void {
    const lines = this.lines(text, STYLE.heading, this.width);
    const h = linesHeight(lines);
    if (this.y > M.top) this.y += 10;
    this.ensure(h + 40); // keep with what follows
    this.y = this.drawLines(lines, this.left, this.width, this.y, COLOR.accent) + 4;
  }

  private paragraph(text: string): void {
    for (const line of this.lines(text, STYLE.body, this.width)) {
      this.ensure(line.ascent + line.descent);
      this.y = this.drawLines([line], this.left, this.width, this.y, COLOR.text);
    }
    this.y += 6;
  }

  private keyValue(rows: [string, string][]): void {
    const labelW = Math.round(this.width * 0.32);
    const gap = 12;
    const valueW = this.width - labelW - gap;
    const [labelX, valueX] = this.ctx.rtl ? [this.right - labelW, this.left] : [this.left, this.left + labelW + gap];
    for (const [label, value] of rows) {
      const cells = [
        { lines: this.lines(label, STYLE.label, labelW), x: labelX, width: labelW, color: COLOR.muted },
        { lines: this.lines(value, STYLE.body, valueW), x: valueX, width: valueW, color: COLOR.text },
      ];
      const h = this.drawCells(cells, 0, true) + 2 * CELL_PAD.y;
      this.ensure(h);
      this.drawCells(cells, this.y + CELL_PAD.y);
      this.y += h;
      this.rule(this.y, '#e3e8ee', 0.4);
    }
    this.y += 8;
  }

  private columnWidths(columns: string[], rows: string[][]): number[] {
    const n = columns.length;
    const natural = new Array<number>(n).fill(0);
    const min = new Array<number>(n).fill(0);
    for (const [i, c] of columns.entries()) {
      const m = measureText(c, STYLE.cellHead, this.ctx);
      natural[i] = m.natural;
      min[i] = m.minWord;
    }
    for (const row of rows)
      for (let i = 0; i < n; i++) {
        const m = measureText(row[i] ?? '', STYLE.cell, this.ctx);
        natural[i] = Math.max(natural[i]!, m.natural);
        min[i] = Math.max(min[i]!, m.minWord);
      }
    const pad = 2 * CELL_PAD.x;
    const cap = this.width * 0.6;
    const want = natural.map((w, i) => Math.min(cap, Math.max(w, min[i]!)) + pad);
    // Every column first gets its longest word (so no word is cut); what is left is shared in
    // proportion to how much more each column would like. If even the words do not fit, scale them.
    const floor = min.map((w) => Math.min(cap, w) + pad);
    const floorSum = floor.reduce((a, b) => a + b, 0);
    if (floorSum >= this.width) return floor.map((w) => (w * this.width) / floorSum);
    const extra = want.map((w, i) => Math.max(0, w - floor[i]!));
    const extraSum = extra.reduce((a, b) => a + b, 0);
    const spare = this.width - floorSum;
    return floor.map((f, i) => f + (extraSum > 0 ? (extra[i]! / extraSum) * spare : spare / n));
  }

  private table(columns: string[], rows: string[][]): void {
    const widths = this.columnWidths(columns, rows);
    // Column i's left edge: first column at the start side (right in RTL).
    const xs: number[] = [];
    let acc = 0;
    for (const w of widths) {
      xs.push(this.ctx.rtl ? this.right - acc - w : this.left + acc);
      acc += w;
    }
    const layoutRow = (texts: string[], style: TextStyle) => {
      const cells = widths.map((w, i) => ({
        lines: this.lines(texts[i] ?? '', style, w - 2 * CELL_PAD.x),
        x: xs[i]! + CELL_PAD.x,
        width: w - 2 * CELL_PAD.x,
        color: COLOR.text,
      }));
      return { cells, h: this.drawCells(cells, 0, true) + 2 * CELL_PAD.y };
    };
    const head = layoutRow(columns, STYLE.cellHead);
    const drawRow = (row: ReturnType<typeof layoutRow>, fill?: string) => {
      if (fill) this.doc.save().rect(this.left, this.y, this.width, row.h).fill(fill).restore();
      this.drawCells(row.cells, this.y + CELL_PAD.y);
      this.y += row.h;
      this.rule(this.y, COLOR.rule, 0.5);
    };
    const first = rows[0] ? layoutRow(rows[0], STYLE.cell) : { cells: [], h: 0 };
    this.ensure(head.h + first.h);
    drawRow(head, COLOR.fill);
    rows.forEach((cells, r) => {
      const row = r === 0 ? first : layoutRow(cells, STYLE.cell);
      if (this.y + row.h > this.bottom) {
        this.newPage();
        drawRow(head, COLOR.fill);
      }
      drawRow(row);
    });
    this.y += 10;
  }

  /** Running title (pages 2+), footer text and "n / N" on every buffered page. */
  private stampPages(): void {
    const range = this.doc.bufferedPageRange();
    const total = range.count;
    const footY = A4.h - M.bottom + 16;
    for (let i = 0; i < total; i++) {
      this.doc.switchToPage(range.start + i);
      if (i > 0) {
        const t = this.lines(this.spec.title, STYLE.small, this.width).slice(0, 1);
        this.drawLines(t, this.left, this.width, 24, COLOR.muted);
        this.rule(40, COLOR.rule, 0.4);
      }
      this.rule(footY - 6, COLOR.rule, 0.4);
      const base = { x: this.left, width: this.width, color: COLOR.muted };
      const cells: Cell[] = [{ ...base, lines: this.lines(`${i + 1} / ${total}`, STYLE.small, 60), align: 'end' }];
      if (this.spec.footer)
        cells.push({ ...base, lines: this.lines(this.spec.footer, STYLE.small, this.width - 70).slice(0, 2) });
      this.drawCells(cells, footY);
    }
  }
}
