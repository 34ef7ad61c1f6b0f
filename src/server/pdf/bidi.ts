/** Unicode Bidirectional Algorithm (bidi-js) plus the isolation of Latin/number spans in RTL text. */
import bidiFactory from 'bidi-js';

const bidi = bidiFactory();

export type EmbeddingLevels = ReturnType<typeof bidi.getEmbeddingLevels>;

const LRI = '\u2066';
const PDI = '\u2069';

// A run of Latin words, codes, numbers, dates and times (possibly several words joined by spaces),
// starting and ending with a letter or digit (or a trailing %), with an optional sign before a number. Example: "SN-7K3M9Q", "Jane Doe", "2025-01-31".
const LATIN_SPAN =
  /(?:(?<![\p{L}\p{N}])[-+\u2212](?=[0-9]))?[A-Za-z0-9\u00C0-\u024F](?:[A-Za-z0-9\u00C0-\u024F\-_/.:,+@#&%' ]*[A-Za-z0-9\u00C0-\u024F%])?/gu;

/**
 * Wraps Latin/number spans of RTL text in LRI…PDI isolates (a UAX #9 higher-level protocol, like
 * HTML's <bdi>): without it "SN-7K3M9Q" inside Arabic resolves to "7K3M9Q-SN" because the digit
 * after the hyphen counts as right-to-left for the neutral hyphen.
 */
export function isolateLatinSpans(text: string): string {
  return text.replace(LATIN_SPAN, (m) => LRI + m + PDI);
}

/** True for explicit bidi formatting characters, which are consumed by the algorithm and never drawn. */
export function isBidiControl(code: number): boolean {
  return (
    code === 0x200e ||
    code === 0x200f ||
    code === 0x061c ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** Resolves embedding levels for one paragraph with the given base direction. */
export function embeddingLevels(text: string, rtl: boolean): EmbeddingLevels {
  return bidi.getEmbeddingLevels(text, rtl ? 'rtl' : 'ltr');
}

/** Logical indices of the line [start, end) in visual (left-to-right) order, per rules L1–L2. */
export function visualOrder(text: string, levels: EmbeddingLevels, start: number, end: number): number[] {
  const order: number[] = [];
  for (let i = start; i < end; i++) order.push(i);
  if (end <= start) return order;
  for (const [a, b] of bidi.getReorderSegments(text, levels, start, end - 1) as [number, number][]) {
    const seg = order.slice(a - start, b - start + 1).reverse();
    order.splice(a - start, seg.length, ...seg);
  }
  return order;
}
