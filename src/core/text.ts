/**
 * Rules for short text that other people see: names of people, teams and cohorts, and short labels.
 * Invisible characters can make such text display misleadingly: U+202E (right-to-left override)
 * turns "exe.txt" into what reads as "txt.exe", and an invisible mark makes two names look the same.
 *
 * - Names refuse C0/C1 controls, every bidi control (embeddings, overrides, isolates, and the marks
 *   LRM, RLM and ALM) and other invisible format characters. A name is one run of text that the web
 *   shows isolated (`dir="auto"`, `<bdi>`), so a mark has nothing to fix there, and its only effect is
 *   a second, different name that looks the same.
 * - Labels (short free text: sources, goal titles, program and instrument wording) refuse controls and
 *   the embeddings, overrides and isolates, which reorder whole words. They keep LRM, RLM and ALM,
 *   which move only neutral characters (punctuation, digits) and which mixed Arabic/Latin wording
 *   such as "مقياس GAD-7" legitimately needs, and other format characters.
 *
 * Both keep ZWNJ (U+200C) and ZWJ (U+200D): Urdu and Persian spelling needs them ("می‌خواهم"),
 * so do Indic scripts and emoji. Long free text (notes, reasons, answers) is not restricted.
 */
import { z } from 'zod';

/** Why a text is refused (the detail code in a 400 VALIDATION_FAILED). */
export type TextProblem = 'control_character' | 'bidi_control' | 'invisible_character';

/** C0 and C1 controls (incl. tab and newline), DEL, and the Unicode line and paragraph separators. */
const CONTROLS = /[\p{Cc}\u2028\u2029]/u;
/** The same without tab, line feed and carriage return (multi-line labels such as an address). */
const CONTROLS_BUT_LINES = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F\u2028\u2029]/u;
/** Embeddings LRE RLE, pop PDF, overrides LRO RLO; isolates LRI RLI FSI and pop PDI. */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/u;
/** The marks LRM, RLM and ALM (Arabic letter mark). */
const BIDI_MARKS = /[\u200E\u200F\u061C]/u;
/**
 * Format characters (soft hyphen, zero-width space, word joiner, BOM, Arabic number signs, tags …)
 * other than ZWNJ and ZWJ, the Hangul fillers and the braille blank that render as blanks, the
 * combining grapheme joiner and the variation selectors (no name needs them; they only make two
 * names that look the same differ).
 */
const INVISIBLE = /(?![\u200C\u200D])[\p{Cf}\u115F\u1160\u3164\uFFA0\u034F\u2800\uFE00-\uFE0F]/u;

/** The first reason a name may not be stored, or null when it is fine. */
export function nameProblem(s: string): TextProblem | null {
  if (CONTROLS.test(s)) return 'control_character';
  if (BIDI_CONTROLS.test(s) || BIDI_MARKS.test(s)) return 'bidi_control';
  if (INVISIBLE.test(s)) return 'invisible_character';
  return null;
}

/** The first reason a short label may not be stored, or null; `multiline` allows tab and line breaks. */
export function labelProblem(s: string, opts: { multiline?: boolean } = {}): TextProblem | null {
  if ((opts.multiline ? CONTROLS_BUT_LINES : CONTROLS).test(s)) return 'control_character';
  if (BIDI_CONTROLS.test(s)) return 'bidi_control';
  return null;
}

/**
 * Removes from every string of a stored value what a label may no longer hold (controls other than
 * line breaks, bidi embeddings, overrides and isolates). For definitions stored before the rule
 * existed: they are read leniently (neutralised) while new writes are refused, so an old program or
 * instrument with, say, RLE…PDF in an Arabic label copied from a word processor keeps loading.
 */
export function neutraliseLabels<T>(value: T): T {
  const strip = (v: unknown): unknown => {
    if (typeof v === 'string')
      return v.replace(new RegExp(`${CONTROLS_BUT_LINES.source}|${BIDI_CONTROLS.source}`, 'gu'), '');
    if (Array.isArray(v)) return v.map(strip);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, strip(x)]));
    return v;
  };
  return strip(value) as T;
}

const MESSAGES: Record<TextProblem, string> = {
  control_character: 'remove the control characters (such as line breaks or tabs)',
  bidi_control: 'remove the invisible text-direction characters (such as U+202E)',
  invisible_character: 'remove the invisible characters (such as a zero-width space)',
};

/**
 * A zod refinement reporting a problem under its own detail code. zod's types admit only zod's issue
 * codes, but the API's error details carry the issue code as it is (`http/errors.ts` zodDetails), so
 * the stable Sanad code is set here.
 */
function refuse(check: (s: string) => TextProblem | null) {
  return (value: string, ctx: z.RefinementCtx) => {
    const problem = check(value);
    if (problem) ctx.addIssue({ code: problem as 'custom', message: MESSAGES[problem] });
  };
}

/** A name of a person, team or cohort: trimmed, `min`..`max` characters (min 1 by default), see nameProblem. */
export function humanName(max: number, opts: { min?: number } = {}) {
  return z
    .string()
    .trim()
    .min(opts.min ?? 1)
    .max(max)
    .superRefine(refuse(nameProblem));
}

/** A short free-text label: trimmed, `min`..`max` characters (min 1 by default), see labelProblem. */
export function safeText(max: number, opts: { min?: number; multiline?: boolean; trim?: boolean } = {}) {
  const base = opts.trim === false ? z.string() : z.string().trim();
  return base
    .min(opts.min ?? 1)
    .max(max)
    .superRefine(refuse((s) => labelProblem(s, opts)));
}
