/**
 * SPJ assessments through the Scope: drafts rated item by item (evidence encrypted), formulation,
 * scenarios and management plan (encrypted), the assessor's final judgement in the instrument's own
 * terms, finalisation that locks, and amendments that keep the original. No totals anywhere.
 */
import { safeText } from '../../../core/text.ts';
import { createRoute, z } from '@hono/zod-openapi';
import { AppError } from '../../../core/errors.ts';
import {
  checkJudgement,
  checkRatings,
  compareOverTime,
  itemsByCode,
  missingForFinal,
  needsEvidence,
} from '../../../core/assessment.ts';
import { isCertified } from '../../../core/licence.ts';
import { DomainKey, NOTE_MAX } from '../../../core/participant.ts';
import { loadProgram } from '../programs/routes.ts';
import { Scope } from '../../access/scope.ts';
import { assessments, goals, participants } from '../../access/entities.ts';
import { errors, etag, ifMatch, jsonBody, jsonResponse, requireUser, router } from '../../http/openapi.ts';
import { certificationsOf, findInstrument } from '../instruments/routes.ts';

const Evidence = z.strictObject({
  text: z.string().trim().min(1).max(4000),
  sourceType: z.enum(['interview', 'file', 'collateral', 'observation']),
  confidence: z.enum(['low', 'moderate', 'high']),
});
const Rating = z.object({
  itemCode: z.string(),
  ratings: z.record(z.string(), z.string()),
  evidence: z.array(Evidence).optional(),
  dissent: z.array(z.object({ assessorId: z.string(), ratings: z.record(z.string(), z.string()) })),
  updatedAt: z.string(),
});
const Assessment = z
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
const Reconciliation = z
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
const CreateRequest = z
  .strictObject({
    instrumentKey: z.string().max(60),
    instrumentVersion: z.string().max(20),
    joinAssessmentId: z.string().uuid().optional(),
  })
  .openapi('CreateAssessmentRequest');
const RateRequest = z
  .strictObject({
    ratings: z.record(z.string().max(60), z.string().max(60)),
    evidence: z.array(Evidence).max(20).default([]),
  })
  .openapi('RateItemRequest');
const UpdateRequest = z
  .strictObject({
    formulation: z.string().max(NOTE_MAX).nullable().optional(),
    scenarios: z.string().max(NOTE_MAX).nullable().optional(),
    managementPlan: z.string().max(NOTE_MAX).nullable().optional(),
    judgement: z.record(z.string().max(60), z.string().max(60)).optional(),
    judgementReasons: z.string().max(NOTE_MAX).nullable().optional(),
  })
  .openapi('UpdateAssessmentRequest');
const IdParam = z.object({ id: z.string().max(64) });
const RecommendationsRequest = z
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
const ItemParam = z.object({ id: z.string().max(64), itemCode: z.string().max(60) });
const writes = errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'VERSION_CONFLICT', 'PRECONDITION_REQUIRED');

/** Refuses assessing with a licensed instrument without a valid certification. */
async function assertCertified(scope: Scope, certification: string | null): Promise<void> {
  if (!isCertified(await certificationsOf(scope.tx, scope.principal), certification, new Date())) {
    throw new AppError('FORBIDDEN', 'this instrument needs a valid certification', {
      details: [{ path: 'instrument', code: 'not_certified' }],
    });
  }
}

async function full(scope: Scope, id: string) {
  const a = await scope.get(assessments, id);
  const rows = await scope.tx
    .selectFrom('assessment_ratings')
    .selectAll()
    .where('assessment_id', '=', id)
    .where('tenant_id', '=', scope.principal.tenantId)
    .orderBy('item_code')
    .execute();
  const clinical = scope.principal.roles.some((r) =>
    [
      'case_manager',
      'psychologist',
      'religious_counsellor',
      'social_worker',
      'supervisor',
      'program_director',
    ].includes(r),
  );
  const ratings = await Promise.all(
    rows.map(async (r) => ({
      itemCode: r.item_code,
      ratings: r.ratings,
      // Evidence is clinical text: decrypted for the roles that may read formulations, else left out.
      ...(clinical && r.evidence
        ? {
            evidence: JSON.parse(
              await scope.decryptOwned('assessment_ratings', 'evidence', `${id}:${r.item_code}`, r.evidence),
            ) as z.infer<typeof Evidence>[],
          }
        : {}),
      dissent: r.dissent,
      updatedAt: r.updated_at.toISOString(),
    })),
  );
  return {
    id: a.id as string,
    participantId: a.participant_id as string,
    instrumentKey: a.instrument_key as string,
    instrumentVersion: a.instrument_version as string,
    status: a.status as 'draft' | 'final',
    supersedesId: (a.supersedes_id as string | null) ?? null,
    groupId: (a.group_id as string | null) ?? null,
    ...('formulation' in a
      ? {
          formulation: a.formulation as string | null,
          scenarios: a.scenarios as string | null,
          managementPlan: a.management_plan as string | null,
          judgementReasons: a.judgement_reasons as string | null,
        }
      : {}),
    judgement: a.judgement as Record<string, string>,
    finalisedAt: a.finalised_at instanceof Date ? a.finalised_at.toISOString() : null,
    createdBy: a.created_by as string,
    createdAt: (a.created_at as Date).toISOString(),
    version: a.version as number,
    ratings,
  };
}

async function draft(scope: Scope, id: string, version: number) {
  const a = await scope.get(assessments, id, { forUpdate: true });
  if (a.status !== 'draft')
    throw new AppError('VALIDATION_FAILED', 'a finalised assessment cannot change; amend it instead', {
      details: [{ path: 'status', code: 'assessment_final' }],
    });
  if (a.version !== version)
    throw new AppError('VERSION_CONFLICT', 'this record changed since you opened it', {
      details: [{ path: 'version', code: `current:${String(a.version)}` }],
    });
  return a;
}

/** Every visible assessment of a group with its ratings of one item (or all items). */
async function groupRatings(scope: Scope, groupId: string, itemCode?: string) {
  const members = await scope.list(assessments, (q) =>
    q.where('assessments.group_id', '=', groupId).orderBy('assessments.created_at'),
  );
  if (members.length === 0) return [];
  let q = scope.tx
    .selectFrom('assessment_ratings')
    .select(['assessment_id', 'item_code', 'ratings'])
    .where('tenant_id', '=', scope.principal.tenantId)
    .where(
      'assessment_id',
      'in',
      members.map((m) => m.id as string),
    );
  if (itemCode) q = q.where('item_code', '=', itemCode);
  const rows = await q.execute();
  return rows.map((r) => ({
    assessmentId: r.assessment_id,
    itemCode: r.item_code,
    assessorId: members.find((m) => m.id === r.assessment_id)!.created_by as string,
    ratings: r.ratings,
  }));
}

/** Routes for /participants/{id}/assessments and /assessments/{id}. */
export function assessmentRoutes() {
  const app = router();
  const tags = ['assessments'];

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/assessments',
      tags,
      summary: "A participant's assessments, newest first (no totals)",
      request: { params: IdParam },
      responses: {
        200: jsonResponse(
          z.object({
            items: z.array(
              Assessment.omit({
                ratings: true,
                formulation: true,
                scenarios: true,
                managementPlan: true,
                judgementReasons: true,
              }),
            ),
          }),
        ),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const items = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        await scope.get(participants, c.req.valid('param').id);
        return scope.list(assessments, (q) =>
          q.where('assessments.participant_id', '=', c.req.valid('param').id).orderBy('assessments.created_at', 'desc'),
        );
      });
      return c.json(
        {
          items: items.map((a) => ({
            id: a.id as string,
            participantId: a.participant_id as string,
            instrumentKey: a.instrument_key as string,
            instrumentVersion: a.instrument_version as string,
            status: a.status as 'draft' | 'final',
            supersedesId: (a.supersedes_id as string | null) ?? null,
            groupId: (a.group_id as string | null) ?? null,
            judgement: a.judgement as Record<string, string>,
            finalisedAt: a.finalised_at instanceof Date ? a.finalised_at.toISOString() : null,
            createdBy: a.created_by as string,
            createdAt: (a.created_at as Date).toISOString(),
            version: a.version as number,
          })),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/participants/{id}/assessments',
      tags,
      summary: 'Start an assessment (draft) with an instrument version',
      request: { params: IdParam, body: jsonBody(CreateRequest) },
      responses: { 201: jsonResponse(Assessment, 'Started'), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const s = c.get('services');
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(assessments.actions.create, { type: 'assessment' });
        const p = await scope.get(participants, c.req.valid('param').id);
        const inst = await findInstrument(
          scope.tx,
          scope.principal.tenantId,
          b.instrumentKey,
          b.instrumentVersion,
        ).catch((e: unknown) => {
          // Only "no such version" means a bad request; a timeout or deadlock must surface (503, retry).
          if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
          throw new AppError('VALIDATION_FAILED', 'unknown instrument version', {
            details: [{ path: 'instrumentKey', code: 'unknown_instrument' }],
          });
        });
        if (inst.status !== 'active')
          throw new AppError('VALIDATION_FAILED', 'this instrument version is retired', {
            details: [{ path: 'instrumentVersion', code: 'retired' }],
          });
        await assertCertified(scope, inst.def.certification);
        let groupId: string | null = null;
        if (b.joinAssessmentId) {
          // Team assessment: rate the same person with the same instrument, independently.
          const lead = await scope.get(assessments, b.joinAssessmentId, { forUpdate: true });
          if (
            lead.participant_id !== p.id ||
            lead.instrument_key !== b.instrumentKey ||
            lead.instrument_version !== b.instrumentVersion ||
            lead.status !== 'draft'
          ) {
            throw new AppError('VALIDATION_FAILED', 'join a draft assessment of the same person and instrument', {
              details: [{ path: 'joinAssessmentId', code: 'not_joinable' }],
            });
          }
          groupId = (lead.group_id as string | null) ?? (lead.id as string);
          // Independent ratings need another person: not your own draft, and once per group.
          const gid = groupId;
          const mine = await scope.list(assessments, (q) =>
            q
              .where((eb) => eb.or([eb('assessments.id', '=', gid), eb('assessments.group_id', '=', gid)]))
              .where('assessments.created_by', '=', scope.principal.userId),
          );
          if (mine.length)
            throw new AppError('VALIDATION_FAILED', 'you already rate in this team assessment', {
              details: [{ path: 'joinAssessmentId', code: 'already_in_group' }],
            });
          if (!lead.group_id) await scope.setOwned(assessments, lead.id as string, { group_id: groupId });
        }
        const a = await scope.create(
          assessments,
          {
            participant_id: p.id,
            instrument_key: b.instrumentKey,
            instrument_version: b.instrumentVersion,
            judgement: '{}',
          },
          {
            details: {
              instrument: `${b.instrumentKey}@${b.instrumentVersion}`,
              ...(groupId ? { group: groupId } : {}),
            },
          },
        );
        if (groupId) await scope.setOwned(assessments, a.id as string, { group_id: groupId });
        return full(scope, a.id as string);
      });
      etag(c, r.version);
      return c.json(r, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/assessments/{id}',
      tags,
      summary: 'One assessment with its ratings and evidence (audited)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Assessment), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const r = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), (scope) =>
        full(scope, c.req.valid('param').id),
      );
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'put',
      path: '/assessments/{id}/items/{itemCode}',
      tags,
      summary: 'Rate one item with evidence (draft only, If-Match)',
      request: { params: ItemParam, body: jsonBody(RateRequest) },
      responses: { 200: jsonResponse(Assessment), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const s = c.get('services');
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        scope.require(assessments.actions.update, { type: 'assessment' });
        const a = await draft(scope, c.req.valid('param').id, version);
        const inst = await findInstrument(
          scope.tx,
          scope.principal.tenantId,
          a.instrument_key as string,
          a.instrument_version as string,
        );
        await assertCertified(scope, inst.def.certification);
        const code = c.req.valid('param').itemCode;
        const problems = checkRatings(inst.def, code, b.ratings);
        if (problems.length)
          throw new AppError('VALIDATION_FAILED', 'ratings do not fit the instrument', { details: problems });
        const item = itemsByCode(inst.def).get(code)!;
        if (b.evidence.length === 0 && needsEvidence(item, b.ratings)) {
          throw new AppError('VALIDATION_FAILED', 'this item needs evidence for its rating', {
            details: [{ path: 'evidence', code: 'required' }],
          });
        }
        const evidence = b.evidence.length
          ? await scope.encryptOwned(
              'assessment_ratings',
              'evidence',
              `${a.id as string}:${code}`,
              JSON.stringify(b.evidence),
            )
          : null;
        // On the lead assessment of a team, differing ratings of the other assessors are kept as dissent.
        const dissent =
          a.group_id === a.id
            ? (await groupRatings(scope, a.id as string, code))
                .filter((g) => g.assessmentId !== a.id && JSON.stringify(g.ratings) !== JSON.stringify(b.ratings))
                .map((g) => ({ assessorId: g.assessorId, ratings: g.ratings }))
            : [];
        await scope.tx
          .insertInto('assessment_ratings')
          .values({
            assessment_id: a.id as string,
            tenant_id: scope.principal.tenantId,
            item_code: code,
            ratings: JSON.stringify(b.ratings),
            evidence,
            dissent: JSON.stringify(dissent),
            updated_by: scope.principal.userId,
          })
          .onConflict((oc) =>
            oc
              .columns(['assessment_id', 'item_code'])
              .doUpdateSet({
                ratings: JSON.stringify(b.ratings),
                evidence,
                dissent: JSON.stringify(dissent),
                updated_by: scope.principal.userId,
                updated_at: new Date(),
              }),
          )
          .execute();
        await scope.update(assessments, a.id as string, version, {}, { details: { item: code } });
        return full(scope, a.id as string);
      });
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'patch',
      path: '/assessments/{id}',
      tags,
      summary: 'Formulation, scenarios, management plan, judgement (draft only, If-Match)',
      request: { params: IdParam, body: jsonBody(UpdateRequest) },
      responses: { 200: jsonResponse(Assessment), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const b = c.req.valid('json');
      const s = c.get('services');
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        const a = await draft(scope, c.req.valid('param').id, version);
        const inst = await findInstrument(
          scope.tx,
          scope.principal.tenantId,
          a.instrument_key as string,
          a.instrument_version as string,
        );
        if (b.judgement) {
          const problems = checkJudgement(inst.def, b.judgement);
          if (problems.length)
            throw new AppError('VALIDATION_FAILED', 'the judgement does not fit the instrument', { details: problems });
        }
        const patch: Record<string, unknown> = {};
        if (b.formulation !== undefined) patch.formulation = b.formulation;
        if (b.scenarios !== undefined) patch.scenarios = b.scenarios;
        if (b.managementPlan !== undefined) patch.management_plan = b.managementPlan;
        if (b.judgementReasons !== undefined) patch.judgement_reasons = b.judgementReasons;
        if (b.judgement !== undefined)
          patch.judgement = JSON.stringify({ ...(a.judgement as Record<string, string>), ...b.judgement });
        await scope.update(assessments, a.id as string, version, patch);
        return full(scope, a.id as string);
      });
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assessments/{id}/finalise',
      tags,
      summary: 'Finalise (locks the assessment; every item and judgement must be set)',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Assessment), ...writes },
    }),
    async (c) => {
      const version = ifMatch(c);
      const s = c.get('services');
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        const a = await draft(scope, c.req.valid('param').id, version);
        const inst = await findInstrument(
          scope.tx,
          scope.principal.tenantId,
          a.instrument_key as string,
          a.instrument_version as string,
        );
        const rows = await scope.tx
          .selectFrom('assessment_ratings')
          .select(['item_code', 'ratings', 'evidence'])
          .where('assessment_id', '=', a.id as string)
          .execute();
        const evidenced = new Set(rows.filter((x) => x.evidence !== null).map((x) => x.item_code));
        const missing = missingForFinal(
          inst.def,
          new Map(rows.map((x) => [x.item_code, x.ratings])),
          a.judgement as Record<string, string>,
          evidenced,
        );
        if (missing.length)
          throw new AppError('VALIDATION_FAILED', 'rate every item and record the final judgement first', {
            details: missing.slice(0, 50),
          });
        if (a.group_id === a.id) {
          // The lead finalises the agreed ratings: record dissent as the other assessors' ratings stand now.
          const group = await groupRatings(scope, a.id as string);
          for (const x of rows) {
            const dissent = group
              .filter(
                (g) =>
                  g.assessmentId !== a.id &&
                  g.itemCode === x.item_code &&
                  JSON.stringify(g.ratings) !== JSON.stringify(x.ratings),
              )
              .map((g) => ({ assessorId: g.assessorId, ratings: g.ratings }));
            await scope.tx
              .updateTable('assessment_ratings')
              .set({ dissent: JSON.stringify(dissent) })
              .where('assessment_id', '=', a.id as string)
              .where('item_code', '=', x.item_code)
              .execute();
          }
        }
        await scope.update(
          assessments,
          a.id as string,
          version,
          { status: 'final', finalised_at: new Date(), finalised_by: scope.principal.userId },
          { details: { finalise: true } },
        );
        return full(scope, a.id as string);
      });
      etag(c, r.version);
      return c.json(r, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assessments/{id}/amend',
      tags,
      summary: 'Start an amended version of a finalised assessment (the original is kept)',
      request: { params: IdParam },
      responses: {
        201: jsonResponse(Assessment, 'Amendment started'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const s = c.get('services');
      const r = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        const orig = await scope.get(assessments, c.req.valid('param').id);
        if (orig.status !== 'final')
          throw new AppError('VALIDATION_FAILED', 'only a finalised assessment is amended; edit the draft', {
            details: [{ path: 'status', code: 'not_final' }],
          });
        const a = await scope.create(
          assessments,
          {
            participant_id: orig.participant_id,
            instrument_key: orig.instrument_key,
            instrument_version: orig.instrument_version,
            supersedes_id: orig.id,
            formulation: orig.formulation ?? null,
            scenarios: orig.scenarios ?? null,
            management_plan: orig.management_plan ?? null,
            judgement: JSON.stringify(orig.judgement),
            judgement_reasons: orig.judgement_reasons ?? null,
          },
          { details: { amends: orig.id as string } },
        );
        const rows = await scope.tx
          .selectFrom('assessment_ratings')
          .selectAll()
          .where('assessment_id', '=', orig.id as string)
          .execute();
        for (const x of rows) {
          const evidence = x.evidence
            ? await scope.encryptOwned(
                'assessment_ratings',
                'evidence',
                `${a.id as string}:${x.item_code}`,
                await scope.decryptOwned(
                  'assessment_ratings',
                  'evidence',
                  `${orig.id as string}:${x.item_code}`,
                  x.evidence,
                ),
              )
            : null;
          await scope.tx
            .insertInto('assessment_ratings')
            .values({
              assessment_id: a.id as string,
              tenant_id: scope.principal.tenantId,
              item_code: x.item_code,
              ratings: JSON.stringify(x.ratings),
              evidence,
              updated_by: scope.principal.userId,
            })
            .execute();
        }
        return full(scope, a.id as string);
      });
      etag(c, r.version);
      return c.json(r, 201);
    },
  );
  app.openapi(
    createRoute({
      method: 'get',
      path: '/assessments/{id}/reconciliation',
      tags,
      summary: 'Team assessment: each assessor’s ratings per item, agreement, and the lead’s agreed rating',
      request: { params: IdParam },
      responses: { 200: jsonResponse(Reconciliation), ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND') },
    }),
    async (c) => {
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const a = await scope.get(assessments, c.req.valid('param').id);
        if (!a.group_id)
          throw new AppError('VALIDATION_FAILED', 'this is not a team assessment', {
            details: [{ path: 'id', code: 'not_team' }],
          });
        const groupId = a.group_id as string;
        const members = await scope.list(assessments, (q) =>
          q.where('assessments.group_id', '=', groupId).orderBy('assessments.created_at'),
        );
        const ratings = await groupRatings(scope, groupId);
        const codes = [...new Set(ratings.map((r) => r.itemCode))].sort();
        const others = ratings.filter((r) => r.assessmentId !== groupId);
        const names = new Map(
          (
            await scope.tx
              .selectFrom('users')
              .select(['id', 'display_name'])
              .where('tenant_id', '=', scope.principal.tenantId)
              .where(
                'id',
                'in',
                members.map((m) => m.created_by as string),
              )
              .execute()
          ).map((u) => [u.id, u.display_name]),
        );
        return {
          groupId,
          leadAssessmentId: groupId,
          assessors: members.map((m) => ({
            assessmentId: m.id as string,
            assessorId: m.created_by as string,
            displayName: names.get(m.created_by as string) ?? '',
            status: m.status as string,
          })),
          items: codes.map((code) => {
            const all = ratings.filter((r) => r.itemCode === code);
            const byAssessor = Object.fromEntries(
              others.filter((r) => r.itemCode === code).map((r) => [r.assessorId, r.ratings]),
            );
            const distinct = new Set(all.map((r) => JSON.stringify(r.ratings)));
            return {
              itemCode: code,
              byAssessor,
              byAssessment: Object.fromEntries(all.map((r) => [r.assessmentId, r.ratings])),
              agreed: all.length > 1 && distinct.size === 1,
              leadRating: all.find((r) => r.assessmentId === groupId)?.ratings ?? null,
            };
          }),
        };
      });
      return c.json(out, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/participants/{id}/assessments/compare',
      tags,
      summary: 'How ratings moved between finalised assessments, domain by domain (no totals)',
      request: {
        params: IdParam,
        query: z.object({ instrumentKey: z.string().max(60), scale: z.string().max(60).default('presence') }),
      },
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown()).openapi('AssessmentComparison')),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const s = c.get('services');
      const out = await Scope.run(s, requireUser(c), c.get('requestId'), async (scope) => {
        const p = await scope.get(participants, c.req.valid('param').id);
        const finals = await scope.list(assessments, (x) =>
          x
            .where('assessments.participant_id', '=', p.id as string)
            .where('assessments.instrument_key', '=', q.instrumentKey)
            .where('assessments.status', '=', 'final'),
        );
        if (finals.length === 0)
          return {
            scale: q.scale,
            assessments: [],
            domains: [],
            note: 'no finalised assessment with this instrument yet',
          };
        const latest = finals.reduce((a, b) => ((a.finalised_at as Date) > (b.finalised_at as Date) ? a : b));
        const inst = await findInstrument(
          scope.tx,
          scope.principal.tenantId,
          q.instrumentKey,
          latest.instrument_version as string,
        );
        const rows = await scope.tx
          .selectFrom('assessment_ratings')
          .select(['assessment_id', 'item_code', 'ratings'])
          .where('tenant_id', '=', scope.principal.tenantId)
          .where(
            'assessment_id',
            'in',
            finals.map((f) => f.id as string),
          )
          .execute();
        return compareOverTime(
          inst.def,
          q.scale,
          finals.map((f) => ({
            id: f.id as string,
            finalisedAt: (f.finalised_at as Date).toISOString(),
            ratings: new Map(rows.filter((r) => r.assessment_id === f.id).map((r) => [r.item_code, r.ratings])),
          })),
        );
      });
      return c.json(out as Record<string, unknown>, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/assessments/{id}/recommendations',
      tags,
      summary: "Turn the management plan's recommendations into plan goals in one step",
      request: { params: IdParam, body: jsonBody(RecommendationsRequest) },
      responses: {
        201: jsonResponse(z.object({ goalIds: z.array(z.string()) }), 'Goals added'),
        ...errors('UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND'),
      },
    }),
    async (c) => {
      const b = c.req.valid('json');
      const out = await Scope.run(c.get('services'), requireUser(c), c.get('requestId'), async (scope) => {
        const a = await scope.get(assessments, c.req.valid('param').id);
        scope.require(goals.actions.create, { type: 'goal' });
        const p = await scope.get(participants, a.participant_id as string, { forUpdate: true });
        const program = p.program_id
          ? (await loadProgram(scope.tx, scope.principal.tenantId, p.program_id as string)).def
          : null;
        b.items.forEach((it, i) => {
          if (program && !program.domains.includes(it.domain))
            throw new AppError('VALIDATION_FAILED', 'this program does not work in that domain', {
              details: [{ path: `items.${i}.domain`, code: 'not_in_program' }],
            });
        });
        const ids: string[] = [];
        for (const it of b.items) {
          const g = await scope.create(
            goals,
            {
              participant_id: p.id,
              domain: it.domain,
              title: it.title,
              indicator: it.indicator ?? null,
              interventions: it.interventions ?? null,
            },
            { details: { fromAssessment: a.id as string } },
          );
          ids.push(g.id as string);
        }
        if (p.plan_status !== 'draft') await scope.setOwned(participants, p.id as string, { plan_status: 'draft' });
        return ids;
      });
      return c.json({ goalIds: out }, 201);
    },
  );
  return app;
}
