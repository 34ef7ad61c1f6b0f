/** Wire types of assessments: summaries, ratings with evidence and dissent, the team reconciliation, comparison over time. */

export const SOURCE_TYPES = ['interview', 'file', 'collateral', 'observation'] as const;
export const CONFIDENCES = ['low', 'moderate', 'high'] as const;

export interface Evidence {
  text: string;
  sourceType: (typeof SOURCE_TYPES)[number];
  confidence: (typeof CONFIDENCES)[number];
}
/** Another assessor's differing rating, kept on the lead's agreed rating of a team assessment. */
export interface Dissent {
  assessorId: string;
  ratings: Record<string, string>;
}
export interface ItemRating {
  itemCode: string;
  ratings: Record<string, string>;
  evidence?: Evidence[];
  dissent?: Dissent[];
  updatedAt?: string;
}
export interface AssessmentSummary {
  id: string;
  participantId: string;
  instrumentKey: string;
  instrumentVersion: string;
  status: 'draft' | 'final';
  supersedesId: string | null;
  judgement: Record<string, string>;
  finalisedAt: string | null;
  /** The assessor (user id) who started it. */
  createdBy: string;
  createdAt: string;
  version: number;
  /** Team assessment: the lead assessment's id (the lead's own groupId equals its id); null alone. */
  groupId: string | null;
}
export interface Assessment extends AssessmentSummary {
  formulation?: string | null;
  scenarios?: string | null;
  managementPlan?: string | null;
  judgementReasons?: string | null;
  ratings: ItemRating[];
}

/** GET /assessments/{id}/reconciliation: each assessor's ratings per item of a team assessment. */
export interface Reconciliation {
  groupId: string;
  leadAssessmentId: string;
  /** Every assessment of the group, oldest (the lead) first. */
  assessors: { assessmentId: string; assessorId: string; status: string }[];
  /** Items someone rated: the other assessors' ratings by assessor (user id), and the lead's (agreed) rating. */
  items: {
    itemCode: string;
    byAssessor: Record<string, Record<string, string>>;
    agreed: boolean;
    leadRating: Record<string, string> | null;
  }[];
}

/** GET /participants/{id}/assessments/compare: per domain, each item's value on one scale at each finalised assessment. */
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

/** What the final step saves (PATCH /assessments/{id}). */
export interface FinalInput {
  formulation: string | null;
  scenarios: string | null;
  managementPlan: string | null;
  judgementReasons: string | null;
  judgement: Record<string, string>;
}
