// Creating a practice test, checked against the bank's latest published version: the default
// lab exists, fixed questions exist, each pool can supply its count, at most a few labs.
import type { DbClient } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';
import { latestPublishedVersion } from '../banks/bank-views';
import { checkSelection } from './select-questions';
import { requestedMode, type TestInput } from './test-schemas';

export async function createTest(db: DbClient, input: TestInput, userId: string, maxInstances: number) {
  const bank = await db.bank.findUnique({ where: { id: input.bankId } });
  if (!bank) throw notFound('bank', input.bankId);
  const version = await latestPublishedVersion(db, bank.id);
  if (!version) throw new ApiError(409, 'BANK_UNPUBLISHED', `bank "${bank.slug}" has no published version yet`);
  if (input.lab && !version.labs.includes(input.lab)) {
    throw new ApiError(422, 'LAB_UNKNOWN', `bank "${bank.slug}" v${version.version} has no lab "${input.lab}" (labs: ${version.labs.join(', ')})`);
  }
  const rows = await db.question.findMany({ where: { bankVersionId: version.id } });
  checkSelection(input.selection, input.lab ?? null, rows, maxInstances);
  return db.test.create({
    data: {
      title: input.title,
      description: input.description,
      bankId: bank.id,
      lab: input.lab ?? null,
      timeLimitSeconds: input.timeLimitSeconds,
      attemptsAllowed: input.attemptsAllowed,
      availableFrom: input.availableFrom ?? null,
      availableUntil: input.availableUntil ?? null,
      ...modeFields(requestedMode(input) ?? 'exam'),
      showSolutions: input.showSolutions,
      open: input.open,
      selection: input.selection,
      warmPool: input.warmPool ?? null,
      ownerId: userId,
    },
  });
}

/** The stored mode and the allowCheck flag derived from it. */
export function modeFields(mode: 'practice' | 'exam') {
  return { mode, allowCheck: mode === 'practice' };
}
