/**
 * Structured professional judgement (SPJ) instruments as data: instrument → domains → optional
 * subdomains → items, with rating scales and a final-judgement scale. Sanad never computes a total:
 * the assessor's judgement is the result. Licensed item wording is loaded by the licensee, never shipped.
 */
import { z } from 'zod';
import { Label } from './program.ts';

const Key = z.string().regex(/^[a-z][a-z0-9_.-]{0,59}$/, 'lowercase letters, digits, _ . -');
/** Optional wording in any of the UI languages (an instrument may lack some). */
const Text = z.strictObject({
  en: z.string().max(2000).optional(),
  ar: z.string().max(2000).optional(),
  ur: z.string().max(2000).optional(),
  fr: z.string().max(2000).optional(),
});

/** One option of a rating or judgement scale. */
export const ScaleOption = z.strictObject({ value: Key, label: Label, description: Text.optional() });

/** A rating scale, e.g. presence: absent / partly / present / omitted (insufficient information). */
export const Scale = z.strictObject({ key: Key, label: Label, options: z.array(ScaleOption).min(2).max(10) });

/** Kinds of item an instrument can hold. */
export const ITEM_KINDS = ['risk', 'protective', 'motivation', 'need'] as const;

/** One item to rate. `wording` and `guidance` may be licensed (shown only to certified users). */
export const Item = z.strictObject({
  code: Key,
  kind: z.enum(ITEM_KINDS),
  tags: z.array(Key).max(10).default([]),
  /** Short public title (not licensed), e.g. "Commitment to ideology". */
  title: Label,
  wording: Text.optional(),
  guidance: Text.optional(),
  /** Which scales rate this item (keys of instrument.scales), e.g. presence and relevance. */
  scales: z.array(Key).min(1).max(3),
  evidenceRequired: z.boolean().default(false),
});

/** A domain (or subdomain) grouping items. */
export const Domain: z.ZodType<DomainT> = z.lazy(() =>
  z.strictObject({
    key: Key,
    title: Label,
    items: z.array(Item).max(60).default([]),
    subdomains: z.array(Domain).max(10).default([]),
  }),
);
export interface DomainT {
  key: string;
  title: z.infer<typeof Label>;
  items: z.infer<typeof Item>[];
  subdomains: DomainT[];
}

/** A whole instrument definition, as imported from a file. */
export const InstrumentDefinition = z
  .strictObject({
    key: Key,
    version: z.string().regex(/^\d+\.\d+(\.\d+)?$/, 'a version such as 1.0'),
    title: Label,
    summary: Label,
    /** Shown on every screen and print: e.g. "illustrative, not validated". */
    notice: Label.optional(),
    /** Certification needed to see wording and assess; null means none. */
    certification: Key.nullable(),
    scales: z.array(Scale).min(1).max(5),
    /** The assessor's final judgement in the instrument's own terms (e.g. level of concern). */
    judgements: z.array(Scale).min(1).max(4),
    domains: z.array(Domain).min(1).max(20),
    reassessEveryDays: z.number().int().min(7).max(730).optional(),
  })
  .superRefine((d, ctx) => {
    const scaleKeys = new Set(d.scales.map((s) => s.key));
    const codes = new Set<string>();
    const walk = (doms: DomainT[], path: (string | number)[]) =>
      doms.forEach((dom, i) => {
        dom.items.forEach((it, j) => {
          if (codes.has(it.code))
            ctx.addIssue({
              code: 'custom',
              path: [...path, i, 'items', j, 'code'],
              message: `duplicate item code ${it.code}`,
            });
          codes.add(it.code);
          it.scales.forEach((s, k) => {
            if (!scaleKeys.has(s))
              ctx.addIssue({
                code: 'custom',
                path: [...path, i, 'items', j, 'scales', k],
                message: `unknown scale ${s}`,
              });
          });
        });
        walk(dom.subdomains, [...path, i, 'subdomains']);
      });
    walk(d.domains, ['domains']);
    if (codes.size === 0)
      ctx.addIssue({ code: 'custom', path: ['domains'], message: 'an instrument needs at least one item' });
  });
export type InstrumentDefinition = z.infer<typeof InstrumentDefinition>;
