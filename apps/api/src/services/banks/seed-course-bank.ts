// The sample content `npm start` brings: the course's lab folder imported once as the bank
// "course", with one open practice test per lab (all its questions, its own time limit, Check
// allowed), so a fresh install has something to take. A lab tagged `mock-exam` (labs/90-mock-exam)
// becomes an exam instead: no Check and no hints while the clock runs, graded on submit.
// Later updates are imported by instructors.
import type { DbClient } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { importBank } from './import-bank';
import { readBankContent } from './bank-content';

export const SEED_BANK_SLUG = 'course';

/** The tag that makes a seed lab's open test an exam rather than practice. */
export const MOCK_EXAM_TAG = 'mock-exam';

export async function seedCourseBank(db: DbClient, dir: string): Promise<{ outcome: 'present' | 'imported' | 'invalid'; tests: number; errors?: unknown }> {
  if (await db.bank.findUnique({ where: { slug: SEED_BANK_SLUG } })) return { outcome: 'present', tests: 0 };
  let imported;
  try {
    imported = await importBank(db, { slug: SEED_BANK_SLUG, title: 'Kubernetes networking course', dir, shownAs: dir, publish: true, user: null });
  } catch (error) {
    if (error instanceof ApiError && error.code === 'BANK_INVALID') return { outcome: 'invalid', tests: 0, errors: error.extra?.errors };
    throw error;
  }
  const content = readBankContent(imported.version);
  await db.test.createMany({
    data: content.labs.map((lab) => ({
      title: lab.title,
      description: lab.summary,
      bankId: imported.bank.id,
      ownerId: null,
      lab: lab.id,
      timeLimitSeconds: lab.timeLimitMinutes * 60,
      attemptsAllowed: 100,
      // The sample bank's tests are for practice (hints, Check, solutions and lab reset), but for
      // the mock exam's, which is taken as the exam is: marked on submit, solutions after.
      mode: lab.tags.includes(MOCK_EXAM_TAG) ? 'exam' : 'practice',
      allowCheck: !lab.tags.includes(MOCK_EXAM_TAG),
      showSolutions: true,
      open: true,
      selection: { mode: 'fixed', questions: lab.questions.map((q) => q.id) },
    })),
  });
  return { outcome: 'imported', tests: content.labs.length };
}
