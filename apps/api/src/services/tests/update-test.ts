// Changing a test. Attempts already started keep what they pinned (questions, bank version,
// deadline); the change applies to attempts started after it. A new lab or selection is checked
// against the bank's latest published version, as at creation.
import type { DbClient } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';
import { latestPublishedVersion } from '../banks/bank-views';
import { checkSelection } from './select-questions';
import { readSelection, requestedMode, type TestPatch } from './test-schemas';
import { modeFields } from './create-test';

export async function updateTest(db: DbClient, testId: string, patch: TestPatch, maxInstances: number) {
  const test = await db.test.findUnique({ where: { id: testId } });
  if (!test) throw notFound('test', testId);
  const from = patch.availableFrom === undefined ? test.availableFrom : patch.availableFrom;
  const until = patch.availableUntil === undefined ? test.availableUntil : patch.availableUntil;
  if (from && until && from >= until) throw new ApiError(422, 'WINDOW_INVALID', 'availableFrom must be before availableUntil');
  if (patch.lab !== undefined || patch.selection !== undefined) {
    const version = await latestPublishedVersion(db, test.bankId);
    if (!version) throw new ApiError(409, 'BANK_UNPUBLISHED', "the test's bank has no published version");
    const lab = patch.lab === undefined ? test.lab : patch.lab;
    if (lab && !version.labs.includes(lab)) throw new ApiError(422, 'LAB_UNKNOWN', `the bank has no lab "${lab}" (labs: ${version.labs.join(', ')})`);
    checkSelection(patch.selection ?? readSelection(test.selection), lab, await db.question.findMany({ where: { bankVersionId: version.id } }), maxInstances);
  }
  const { mode: _m, allowCheck: _a, ...rest } = patch;
  const mode = requestedMode(patch);
  return db.test.update({ where: { id: testId }, data: { ...rest, ...(mode ? modeFields(mode) : {}) } });
}
