// Creating a practice test, checked against the bank's latest published version: the lab exists,
// fixed questions exist in it, and each pool can supply its count.
import type { DbClient } from '@praxis/db';
import { ApiError, notFound } from '../../lib/api-error';
import { latestPublishedVersion } from '../banks/bank-views';
import type { TestInput } from './test-schemas';

export async function createTest(db: DbClient, input: TestInput, userId: string) {
  const bank = await db.bank.findUnique({ where: { id: input.bankId } });
  if (!bank) throw notFound('bank', input.bankId);
  const version = await latestPublishedVersion(db, bank.id);
  if (!version) throw new ApiError(409, 'BANK_UNPUBLISHED', `bank "${bank.slug}" has no published version yet`);
  if (!version.labs.includes(input.lab)) {
    throw new ApiError(422, 'LAB_UNKNOWN', `bank "${bank.slug}" v${version.version} has no lab "${input.lab}" (labs: ${version.labs.join(', ')})`);
  }
  const questions = await db.question.findMany({ where: { bankVersionId: version.id, lab: input.lab }, select: { key: true, kind: true } });
  const sel = input.selection;
  if (sel.mode === 'fixed') {
    const known = new Set(questions.map((q) => q.key));
    const missing = sel.questions.filter((k) => !known.has(k));
    if (missing.length) throw new ApiError(422, 'QUESTION_UNKNOWN', `lab "${input.lab}" has no question ${missing.map((m) => `"${m}"`).join(', ')}`);
    if (new Set(sel.questions).size !== sel.questions.length) throw new ApiError(422, 'QUESTION_REPEATED', 'selection.questions lists a question twice');
  } else {
    const needed = sel.pools.reduce((n, p) => n + p.count, 0);
    if (needed > questions.length) throw new ApiError(422, 'POOL_TOO_SMALL', `the pools draw ${needed} questions but lab "${input.lab}" has ${questions.length}`);
    sel.pools.forEach((p, i) => {
      const size = questions.filter((q) => !p.kinds || p.kinds.includes(q.kind as 'task')).length;
      if (size < p.count) throw new ApiError(422, 'POOL_TOO_SMALL', `selection.pools[${i}] draws ${p.count} but only ${size} question(s) match`);
    });
  }
  return db.test.create({
    data: {
      title: input.title,
      description: input.description,
      bankId: bank.id,
      lab: input.lab,
      timeLimitSeconds: input.timeLimitSeconds,
      attemptsAllowed: input.attemptsAllowed,
      availableFrom: input.availableFrom ?? null,
      availableUntil: input.availableUntil ?? null,
      allowCheck: input.allowCheck,
      showSolutions: input.showSolutions,
      open: input.open,
      selection: sel,
      createdById: userId,
    },
  });
}
