// Grading a choice question is pure: the selected option ids against the correct set.
import type { ChoiceQuestion } from '@praxis/labs';

export interface ChoiceVerdict {
  passed: boolean;
  reason: string;
}

export function gradeChoice(question: ChoiceQuestion, selected: readonly string[]): ChoiceVerdict {
  const known = new Set(question.options.map((o) => o.id));
  const picked = new Set(selected.filter((s) => known.has(s)));
  const correct = new Set(question.options.filter((o) => o.correct).map((o) => o.id));
  if (picked.size === 0) return { passed: false, reason: 'No option was selected.' };
  if (!question.multiple && picked.size > 1) return { passed: false, reason: 'Only one option may be selected.' };
  const same = picked.size === correct.size && [...picked].every((id) => correct.has(id));
  if (same) return { passed: true, reason: '' };
  return {
    passed: false,
    reason: question.multiple ? 'The selection is not exactly the set of correct options.' : 'That is not the correct option.',
  };
}
