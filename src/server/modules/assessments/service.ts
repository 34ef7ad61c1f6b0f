/**
 * SPJ assessments through the Scope: drafts rated item by item (evidence encrypted), formulation,
 * scenarios and management plan (encrypted), the assessor's final judgement in the instrument's own
 * terms, finalisation that locks, and amendments that keep the original. No totals anywhere.
 * Operations take a Scope and plain input and know nothing of HTTP; team work is in `team.ts`.
 */
import { AppError } from '../../../core/errors.ts';
import { checkJudgement, checkRatings, itemsByCode, missingForFinal, needsEvidence } from '../../../core/assessment.ts';
import { isCertified } from '../../../core/licence.ts';
import type { Scope, Visible } from '../../access/scope.ts';
import { assessmentRatings, assessments, participants } from '../../access/entities.ts';
import { certificationsOf, findInstrument } from '../instruments/service.ts';
import { groupRatings, dissentFrom } from './team.ts';
import type { Assessment, AssessmentListItem, CreateRequest, Evidence, RateRequest, UpdateRequest } from './schema.ts';

type Judgement = Record<string, string>;

/** Refuses assessing with a licensed instrument without a valid certification. */
async function assertCertified(scope: Scope, certification: string | null): Promise<void> {
  if (!isCertified(await certificationsOf(scope.shared, scope.principal), certification, new Date())) {
    throw new AppError('FORBIDDEN', 'this instrument needs a valid certification', {
      details: [{ path: 'instrument', code: 'not_certified' }],
    });
  }
}

/** The instrument version an assessment uses, read through the scope's transaction. */
function instrumentOf(scope: Scope, a: Visible<'assessments'>) {
  return findInstrument(scope.shared, scope.principal.tenantId, a.instrument_key, a.instrument_version);
}

/** An assessment as a list shows it: no ratings, no clinical text. */
function listItem(a: Visible<'assessments'>): AssessmentListItem {
  return {
    id: a.id,
    participantId: a.participant_id,
    instrumentKey: a.instrument_key,
    instrumentVersion: a.instrument_version,
    status: a.status,
    supersedesId: a.supersedes_id ?? null,
    groupId: a.group_id ?? null,
    judgement: a.judgement,
    finalisedAt: a.finalised_at ? a.finalised_at.toISOString() : null,
    createdBy: a.created_by,
    createdAt: a.created_at.toISOString(),
    version: a.version,
  };
}

/** One assessment with its ratings (audited read); evidence and clinical text for clinical roles only. */
export async function loadAssessment(scope: Scope, id: string): Promise<Assessment> {
  const a = await scope.get(assessments, id);
  const rows = await scope
    .children(assessmentRatings)
    .selectAll()
    .where('assessment_ratings.assessment_id', '=', id)
    .orderBy('assessment_ratings.item_code')
    .execute();
  // Item evidence is clinical text: readable by the roles that may read the formulation.
  const clinical = scope.mayRead(assessments, 'formulation');
  const ratings = await Promise.all(
    rows.map(async (r) => ({
      itemCode: r.item_code,
      ratings: r.ratings,
      // Evidence is clinical text: decrypted for the roles that may read formulations, else left out.
      ...(clinical && r.evidence
        ? {
            evidence: JSON.parse(
              await scope.decryptChild(assessmentRatings, 'evidence', `${id}:${r.item_code}`, r.evidence),
            ) as Evidence[],
          }
        : {}),
      dissent: r.dissent,
      updatedAt: r.updated_at.toISOString(),
    })),
  );
  return {
    ...listItem(a),
    ...('formulation' in a
      ? {
          formulation: a.formulation ?? null,
          scenarios: a.scenarios ?? null,
          managementPlan: a.management_plan ?? null,
          judgementReasons: a.judgement_reasons ?? null,
        }
      : {}),
    ratings,
  };
}

/** Locks a draft for a change, checking the version the client saw (409 otherwise). */
async function lockDraft(scope: Scope, id: string, version: number): Promise<Visible<'assessments'>> {
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

/** A participant's assessments, newest first (the participant read is the audited event). */
export async function listAssessments(scope: Scope, participantId: string): Promise<AssessmentListItem[]> {
  await scope.get(participants, participantId);
  const rows = await scope.list(assessments, (q) =>
    q.where('assessments.participant_id', '=', participantId).orderBy('assessments.created_at', 'desc'),
  );
  return rows.map(listItem);
}

/** Starts a draft with an instrument version, alone or joining a team assessment of the same person. */
export async function startAssessment(scope: Scope, participantId: string, b: CreateRequest): Promise<Assessment> {
  scope.require(assessments.actions.create, { type: 'assessment' });
  const p = await scope.get(participants, participantId);
  const inst = await findInstrument(scope.shared, scope.principal.tenantId, b.instrumentKey, b.instrumentVersion).catch(
    (e: unknown) => {
      // Only "no such version" means a bad request; a timeout or deadlock must surface (503, retry).
      if (!(e instanceof AppError && e.code === 'NOT_FOUND')) throw e;
      throw new AppError('VALIDATION_FAILED', 'unknown instrument version', {
        details: [{ path: 'instrumentKey', code: 'unknown_instrument' }],
      });
    },
  );
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
    const gid = lead.group_id ?? lead.id;
    groupId = gid;
    // Independent ratings need another person: not your own draft, and once per group.
    const mine = await scope.list(assessments, (q) =>
      q
        .where((eb) => eb.or([eb('assessments.id', '=', gid), eb('assessments.group_id', '=', gid)]))
        .where('assessments.created_by', '=', scope.principal.userId),
    );
    if (mine.length)
      throw new AppError('VALIDATION_FAILED', 'you already rate in this team assessment', {
        details: [{ path: 'joinAssessmentId', code: 'already_in_group' }],
      });
    if (!lead.group_id) await scope.setOwned(assessments, lead.id, { group_id: gid });
  }
  const a = await scope.create(
    assessments,
    { participant_id: p.id, instrument_key: b.instrumentKey, instrument_version: b.instrumentVersion, judgement: '{}' },
    { details: { instrument: `${b.instrumentKey}@${b.instrumentVersion}`, ...(groupId ? { group: groupId } : {}) } },
  );
  if (groupId) await scope.setOwned(assessments, a.id, { group_id: groupId });
  return loadAssessment(scope, a.id);
}

/** Rates one item of a draft with its evidence; on a team's lead assessment, differing ratings are dissent. */
export async function rateItem(
  scope: Scope,
  id: string,
  code: string,
  version: number,
  b: RateRequest,
): Promise<Assessment> {
  scope.require(assessments.actions.update, { type: 'assessment' });
  const a = await lockDraft(scope, id, version);
  const inst = await instrumentOf(scope, a);
  await assertCertified(scope, inst.def.certification);
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
    ? await scope.encryptChild(assessmentRatings, 'evidence', `${a.id}:${code}`, JSON.stringify(b.evidence))
    : null;
  const dissent = a.group_id === a.id ? dissentFrom(await groupRatings(scope, a.id, code), a.id, code, b.ratings) : [];
  const values = {
    ratings: JSON.stringify(b.ratings),
    evidence,
    dissent: JSON.stringify(dissent),
    updated_by: scope.principal.userId,
  };
  await scope.insertChildren(assessmentRatings, [{ assessment_id: a.id, item_code: code, ...values }], (oc) =>
    oc.columns(['assessment_id', 'item_code']).doUpdateSet({ ...values, updated_at: new Date() }),
  );
  await scope.update(assessments, a.id, version, {}, { details: { item: code } });
  return loadAssessment(scope, a.id);
}

/** Formulation, scenarios, management plan and judgement of a draft. */
export async function updateAssessment(
  scope: Scope,
  id: string,
  version: number,
  b: UpdateRequest,
): Promise<Assessment> {
  const a = await lockDraft(scope, id, version);
  const inst = await instrumentOf(scope, a);
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
  if (b.judgement !== undefined) patch.judgement = JSON.stringify({ ...(a.judgement as Judgement), ...b.judgement });
  await scope.update(assessments, a.id, version, patch);
  return loadAssessment(scope, a.id);
}

/** Finalises a draft (locks it): every item rated, evidence where required, the judgement recorded. */
export async function finaliseAssessment(scope: Scope, id: string, version: number): Promise<Assessment> {
  const a = await lockDraft(scope, id, version);
  const inst = await instrumentOf(scope, a);
  const rows = await scope
    .children(assessmentRatings)
    .select(['assessment_ratings.item_code', 'assessment_ratings.ratings', 'assessment_ratings.evidence'])
    .where('assessment_ratings.assessment_id', '=', a.id)
    .execute();
  const evidenced = new Set(rows.filter((x) => x.evidence !== null).map((x) => x.item_code));
  const missing = missingForFinal(
    inst.def,
    new Map(rows.map((x) => [x.item_code, x.ratings as Judgement])),
    a.judgement,
    evidenced,
  );
  if (missing.length)
    throw new AppError('VALIDATION_FAILED', 'rate every item and record the final judgement first', {
      details: missing.slice(0, 50),
    });
  if (a.group_id === a.id) {
    // The lead finalises the agreed ratings: record dissent as the other assessors' ratings stand now.
    const group = await groupRatings(scope, a.id);
    for (const x of rows) {
      const dissent = dissentFrom(group, a.id, x.item_code, x.ratings);
      await scope.updateChildren(assessmentRatings, { dissent: JSON.stringify(dissent) }, (q) =>
        q.where('assessment_ratings.assessment_id', '=', a.id).where('assessment_ratings.item_code', '=', x.item_code),
      );
    }
  }
  await scope.update(
    assessments,
    a.id,
    version,
    { status: 'final', finalised_at: new Date(), finalised_by: scope.principal.userId },
    { details: { finalise: true } },
  );
  return loadAssessment(scope, a.id);
}

/** Starts an amended draft of a finalised assessment, copying its ratings and evidence; the original stays. */
export async function amendAssessment(scope: Scope, id: string): Promise<Assessment> {
  const orig = await scope.get(assessments, id);
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
    { details: { amends: orig.id } },
  );
  const rows = await scope
    .children(assessmentRatings)
    .selectAll()
    .where('assessment_ratings.assessment_id', '=', orig.id)
    .execute();
  for (const x of rows) {
    const evidence = x.evidence
      ? await scope.encryptChild(
          assessmentRatings,
          'evidence',
          `${a.id}:${x.item_code}`,
          await scope.decryptChild(assessmentRatings, 'evidence', `${orig.id}:${x.item_code}`, x.evidence),
        )
      : null;
    await scope.insertChildren(assessmentRatings, [
      {
        assessment_id: a.id,
        item_code: x.item_code,
        ratings: JSON.stringify(x.ratings),
        evidence,
        updated_by: scope.principal.userId,
      },
    ]);
  }
  return loadAssessment(scope, a.id);
}
