/** Wire types of assessments, as the server's schemas say (import type + z.infer), and what the screens offer. */
import type { z } from 'zod';
import type {
  Assessment as AssessmentSchema,
  AssessmentListItem as AssessmentListItemSchema,
  Evidence as EvidenceSchema,
  Reconciliation as ReconciliationSchema,
  UpdateRequest,
} from '../../../server/modules/assessments/schema';

export type Evidence = z.infer<typeof EvidenceSchema>;
export type Assessment = z.infer<typeof AssessmentSchema>;
export type AssessmentSummary = z.infer<typeof AssessmentListItemSchema>;
export type ItemRating = Assessment['ratings'][number];
export type Reconciliation = z.infer<typeof ReconciliationSchema>;
/** What the final step saves (PATCH /assessments/{id}). */
export type FinalInput = z.input<typeof UpdateRequest>;

/** Where evidence comes from and how sure it is, in the order the screens offer them. */
export const SOURCE_TYPES = [
  'interview',
  'file',
  'collateral',
  'observation',
] as const satisfies readonly Evidence['sourceType'][];
export const CONFIDENCES = ['low', 'moderate', 'high'] as const satisfies readonly Evidence['confidence'][];

/**
 * GET /participants/{id}/assessments/compare: per domain, each item's value on one scale at each
 * finalised assessment (the server's schema leaves the shape open, so it is written out here).
 */
export interface Comparison {
  scale: string;
  assessments: { id: string; finalisedAt: string }[];
  domains: {
    key: string;
    items: { code: string; values: (string | null)[] }[];
    /** Items per value at each assessment: a display aid for the chart, never summed into a score. */
    displayAidCounts: Record<string, number>[];
  }[];
  note?: string;
}
