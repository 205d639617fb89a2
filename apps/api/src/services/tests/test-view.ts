// A test as the API shows it to a user: its managers only to those who manage it. Those who
// manage it read (and edit) its texts as written; everyone else reads them as a learner does,
// in their language where the test carries its lab's own title (test-texts.ts).
import type { DbClient, Test, User } from '@praxis/db';
import { managersOf, WITH_MANAGERS } from '../access/co-instructors';
import { isAdmin } from '../access/staff-access';
import { readSelection } from './test-schemas';
import { localizeTestsTexts, type TestTexts } from './test-texts';

type TestWithManagers = Test & { owner: User | null; instructors: { userId: string; user: User }[] };

const canManage = (t: TestWithManagers, user: User) => isAdmin(user) || t.ownerId === user.id || t.instructors.some((i) => i.userId === user.id);

function toTest(t: TestWithManagers, user: User, texts: TestTexts | undefined) {
  const manages = canManage(t, user);
  const { owner: _o, instructors: _i, ownerId: _id, ...rest } = t;
  return { ...rest, ...texts, selection: readSelection(t.selection), canManage: manages, ...(manages ? managersOf(t) : { owner: null, instructors: [] }) };
}

/** Tests as `user` sees them (the caller has checked that they may), in the reader's `language`. */
export async function viewTests(db: DbClient, tests: TestWithManagers[], user: User, language?: string) {
  const texts = await localizeTestsTexts(db, tests.filter((t) => !canManage(t, user)), language);
  return tests.map((t) => toTest(t, user, texts.get(t.id)));
}

/** Test `testId` as `user` sees it (the caller has checked that they may). */
export async function viewTest(db: DbClient, testId: string, user: User, language?: string) {
  const [shown] = await viewTests(db, [await db.test.findUniqueOrThrow({ where: { id: testId }, include: WITH_MANAGERS })], user, language);
  return shown!;
}
