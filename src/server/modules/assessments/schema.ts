/** What the assessments API accepts and returns: the single source for OpenAPI and the web's types. */
import { z } from '@hono/zod-openapi';
import { safeText } from '../../../core/text.ts';
import { DomainKey, NOTE_MAX } from '../../../core/participant.ts';

export const Evidence = z.strictObject({
  text: z.string().trim().min(1).max(4000),
  sourceType: z.enum(['interview', 'file', 'collateral', 'observation']),
  confidence: z.enum(['low', 'moderate', 'high']),
});
export const Rating = z.object({
  itemCode: z.string(),
  ratings: z.record(z.string(), z.string()),
  evidence: z.array(Evidence).optional(),
  dissent: z.array(z.object({ assessorId: z.string(), ratings: z.record(z.string(), z.string()) })),
  updatedAt: z.string(),
});
export const Assessment = z
  .object({
    id: z.string(),
    participantId: z.string(),
    instrumentKey: z.string(),
    instrumentVersion: z.string(),
    status: z.enum(['draft', 'final']),
    supersedesId: z.string().nullable(),
    formulation: z.string().nullable().optional(),
    scenarios: z.string().nullable().optional(),
    managementPlan: z.string().nullable().optional(),
    judgement: z.record(z.string(), z.string()),
    judgementReasons: z.string().nullable().optional(),
    finalisedAt: z.string().nullable(),
    createdBy: z.string(),
    createdAt: z.string(),
    version: z.number(),
    ratings: z.array(Rating),
    groupId: z.string().nullable(),
  })
  .openapi('Assessment');
export const Reconciliation = z
  .object({
    groupId: z.string(),
    leadAssessmentId: z.string(),
    assessors: z.array(
      z.object({ assessmentId: z.string(), assessorId: z.string(), displayName: z.string(), status: z.string() }),
    ),
    items: z.array(
      z.object({
        itemCode: z.string(),
        /** Ratings of the other assessors by user id (kept for older clients). */
        byAssessor: z.record(z.string(), z.record(z.string(), z.string())),
        /** Every rating in the group, the lead's included, by assessment id. */
        byAssessment: z.record(z.string(), z.record(z.string(), z.string())),
        /** True when at least two assessments rated the item and all ratings are the same. */
        agreed: z.boolean(),
        leadRating: z.record(z.string(), z.string()).nullable(),
      }),
    ),
  })
  .openapi('AssessmentReconciliation');
export const CreateRequest = z
  .strictObject({
    instrumentKey: z.string().max(60),
    instrumentVersion: z.string().max(20),
    joinAssessmentId: z.string().uuid().optional(),
  })
  .openapi('CreateAssessmentRequest');
export const RateRequest = z
  .strictObject({
    ratings: z.record(z.string().max(60), z.string().max(60)),
    evidence: z.array(Evidence).max(20).default([]),
  })
  .openapi('RateItemRequest');
export const UpdateRequest = z
  .strictObject({
    formulation: z.string().max(NOTE_MAX).nullable().optional(),
    scenarios: z.string().max(NOTE_MAX).nullable().optional(),
    managementPlan: z.string().max(NOTE_MAX).nullable().optional(),
    judgement: z.record(z.string().max(60), z.string().max(60)).optional(),
    judgementReasons: z.string().max(NOTE_MAX).nullable().optional(),
  })
  .openapi('UpdateAssessmentRequest');
export const IdParam = z.object({ id: z.string().max(64) });
export const RecommendationsRequest = z
  .strictObject({
    items: z
      .array(
        z.strictObject({
          domain: DomainKey,
          title: safeText(300),
          indicator: z.string().trim().max(1000).optional(),
          interventions: z.string().trim().max(2000).optional(),
        }),
      )
      .min(1)
      .max(20),
  })
  .openapi('RecommendationsRequest');
export const ItemParam = z.object({ id: z.string().max(64), itemCode: z.string().max(60) });
/** An assessment in a list: no ratings and no clinical text. */
export const AssessmentListItem = Assessment.omit({
  ratings: true,
  formulation: true,
  scenarios: true,
  managementPlan: true,
  judgementReasons: true,
});
export const CompareQuery = z.object({
  instrumentKey: z.string().max(60),
  scale: z.string().max(60).default('presence'),
});
export const Comparison = z.record(z.string(), z.unknown()).openapi('AssessmentComparison');

export type Evidence = z.infer<typeof Evidence>;
export type Assessment = z.infer<typeof Assessment>;
export type AssessmentListItem = z.infer<typeof AssessmentListItem>;
export type Reconciliation = z.infer<typeof Reconciliation>;
export type CreateRequest = z.infer<typeof CreateRequest>;
export type RateRequest = z.infer<typeof RateRequest>;
export type UpdateRequest = z.infer<typeof UpdateRequest>;
export type RecommendationsRequest = z.infer<typeof RecommendationsRequest>;
export type CompareQuery = z.infer<typeof CompareQuery>;
