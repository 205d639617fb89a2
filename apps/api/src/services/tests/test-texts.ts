// A test's title and description as a reader sees them. A test that carries its lab's own title
// (and summary), as the sample bank's tests do, reads in the reader's language like the lab; a
// title or description an instructor wrote stays as written. Every learner-facing view of a test
// (list, briefing, assignments, attempts, result) goes through this one rule.
import type { DbClient } from '@praxis/db';
import { localizeLab, type Lab } from '@praxis/labs';
import { latestPublishedVersionId } from '../banks/bank-views';
import { loadBankContent } from '../banks/bank-content';
import { readSelection, type Selection } from './test-schemas';
import { splitKey } from './select-questions';

type TestTextsSource = { title: string; description: string; lab: string | null; selection: unknown };
export type TestTexts = { title: string; description: string };

/** The one lab every question of the selection comes from, or null (several, or any lab of the bank). */
export function soleLabOf(selection: Selection, defaultLab: string | null): string | null {
  const labs = new Set<string | null>(
    selection.mode === 'fixed' ? selection.questions.map((raw) => splitKey(raw, defaultLab).lab) : selection.pools.flatMap((p) => p.labs ?? [defaultLab]),
  );
  const [only] = labs;
  return labs.size === 1 && only ? only : null;
}

/** The test's texts in `language`, given the labs of the bank version it is read from. */
export function localizeTestTexts(test: TestTextsSource, labs: readonly Pick<Lab, 'id' | 'title' | 'summary' | 'intro' | 'translations'>[], language: string | undefined): TestTexts {
  const id = soleLabOf(readSelection(test.selection), test.lab);
  const lab = id ? labs.find((l) => l.id === id) : undefined;
  if (!lab || test.title !== lab.title) return { title: test.title, description: test.description };
  const shown = localizeLab(lab, language);
  return { title: shown.title, description: test.description === lab.summary ? shown.summary : test.description };
}

/** Texts of many tests by id, each read from its bank's latest published version (one read per bank). */
export async function localizeTestsTexts(db: DbClient, tests: readonly (TestTextsSource & { id: string; bankId: string })[], language: string | undefined): Promise<Map<string, TestTexts>> {
  const labsOf = new Map<string, Promise<readonly Lab[]>>();
  const labsOfBank = (bankId: string) => {
    if (!labsOf.has(bankId)) {
      labsOf.set(bankId, latestPublishedVersionId(db, bankId).then(async (id) => (id ? (await loadBankContent(db, id)).labs : [])));
    }
    return labsOf.get(bankId)!;
  };
  const unique = [...new Map(tests.map((t) => [t.id, t])).values()];
  return new Map(await Promise.all(unique.map(async (t) => [t.id, localizeTestTexts(t, await labsOfBank(t.bankId), language)] as const)));
}
