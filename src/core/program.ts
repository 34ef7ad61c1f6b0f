/**
 * Programs: phases, intervention domains and phase gates as data. A program is created from one of
 * the model-framework templates under content/frameworks and then edited by its administrator.
 */
import { z } from 'zod';
import { safeText } from './text.ts';
import { CONSENT_PURPOSES, DOMAINS, FRAMEWORKS } from './vocabulary.ts';

// The code lists live in vocabulary.ts (no zod, so the web can import them).
export {
  CONSENT_PURPOSES,
  DOMAINS,
  FRAMEWORKS,
  LEGAL_STATUSES,
  LOCALES,
  type ConsentPurpose,
  type Domain,
  type Framework,
  type Locale,
} from './vocabulary.ts';

// Line breaks stay allowed: stored definitions are parsed again on every read, and this rule must not
// make an existing program unreadable for anything less than a direction override or a control code.
const LabelText = safeText(200, { trim: false, multiline: true });
/** A label in every UI language (program, phase and instrument names), under the label rule of core/text.ts. */
export const Label = z.strictObject({ en: LabelText, ar: LabelText, ur: LabelText, fr: LabelText });
export type Label = z.infer<typeof Label>;

const Key = z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and _');

/** One rule that must hold before a participant may leave a phase. Gates are data, not code. */
export const Gate = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('assessment_finalised'), withinDays: z.number().int().min(1).max(3650) }),
  z.strictObject({ kind: z.literal('plan_approved') }),
  z.strictObject({ kind: z.literal('consents_recorded'), purposes: z.array(z.enum(CONSENT_PURPOSES)).min(1) }),
  z.strictObject({ kind: z.literal('min_days_in_phase'), days: z.number().int().min(1).max(3650) }),
  z.strictObject({ kind: z.literal('board_decision') }),
]);
export type Gate = z.infer<typeof Gate>;

/** A phase of a program, with the gates that guard leaving it. */
export const Phase = z.strictObject({
  key: Key,
  name: Label,
  /** Gates to pass before moving on to the next phase. */
  exitGates: z.array(Gate).max(20),
  /** Days after which the plan should be reviewed while in this phase. */
  reviewEveryDays: z.number().int().min(1).max(365).optional(),
});
export type Phase = z.infer<typeof Phase>;

/** A program's whole configuration: ordered phases and the domains it works in. */
export const ProgramDefinition = z
  .strictObject({
    framework: z.enum(FRAMEWORKS),
    name: Label,
    summary: Label,
    domains: z.array(z.enum(DOMAINS)).min(1).max(DOMAINS.length),
    phases: z.array(Phase).min(2).max(20),
    /** Alert when no session happened for this many days. */
    noSessionAlertDays: z.number().int().min(1).max(365).default(21),
    sources: z.array(z.string().max(300)).max(30).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.phases.forEach((ph, i) => {
      if (seen.has(ph.key))
        ctx.addIssue({ code: 'custom', path: ['phases', i, 'key'], message: 'duplicate phase key' });
      seen.add(ph.key);
    });
    if (new Set(p.domains).size !== p.domains.length)
      ctx.addIssue({ code: 'custom', path: ['domains'], message: 'duplicate domain' });
  });
export type ProgramDefinition = z.infer<typeof ProgramDefinition>;
