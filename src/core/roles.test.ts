import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allows, isStaff, POLICY, ROLES } from './roles.ts';

test('policy denies by default: unknown actions and roles are refused', () => {
  assert.equal(allows(['tenant_admin'], 'participant.delete'), false);
  assert.equal(allows(['made_up_role'], 'participant.read'), false);
  assert.equal(allows([], 'user.list'), false);
});

test('policy grants only the listed roles', () => {
  assert.equal(allows(['case_manager'], 'participant.read'), true);
  assert.equal(allows(['learner'], 'participant.read'), false);
  assert.equal(allows(['tenant_admin'], 'participant.read'), false, 'administrators do not see case data');
  assert.equal(allows(['dpo'], 'audit.read'), true);
  assert.equal(allows(['case_manager'], 'audit.read'), false);
});

test('every policy entry names only known roles', () => {
  for (const [action, roles] of Object.entries(POLICY)) {
    for (const r of roles) assert.ok((ROLES as readonly string[]).includes(r), `${action}: ${r}`);
  }
});

test('learners are not staff; everyone else is', () => {
  assert.equal(isStaff(['learner']), false);
  assert.equal(isStaff(['learner', 'mentor']), true);
});
