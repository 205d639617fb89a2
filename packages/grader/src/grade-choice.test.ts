import { describe, expect, it } from 'vitest';
import type { ChoiceQuestion } from '@praxis/labs';
import { gradeChoice } from './grade-choice';
import { parseFailLines } from './run-check';

const question = (multiple: boolean, correct: string[]): ChoiceQuestion => ({
  id: 'q',
  number: 1,
  kind: 'choice',
  points: 2,
  prompt: 'p',
  explanation: 'e',
  multiple,
  options: ['a', 'b', 'c'].map((id) => ({ id, text: id, correct: correct.includes(id) })),
});

describe('gradeChoice', () => {
  it('single choice: only the correct option passes', () => {
    expect(gradeChoice(question(false, ['b']), ['b']).passed).toBe(true);
    expect(gradeChoice(question(false, ['b']), ['a']).passed).toBe(false);
    expect(gradeChoice(question(false, ['b']), ['a', 'b'])).toEqual({ passed: false, reason: 'Only one option may be selected.' });
    expect(gradeChoice(question(false, ['b']), []).reason).toBe('No option was selected.');
  });

  it('multiple choice is all or nothing', () => {
    const q = question(true, ['a', 'c']);
    expect(gradeChoice(q, ['c', 'a']).passed).toBe(true);
    expect(gradeChoice(q, ['a']).passed).toBe(false);
    expect(gradeChoice(q, ['a', 'b', 'c']).passed).toBe(false);
    // Unknown ids are ignored rather than counted.
    expect(gradeChoice(q, ['a', 'c', 'zzz']).passed).toBe(true);
  });
});

describe('parseFailLines', () => {
  it('keeps the text of FAIL: lines only', () => {
    expect(parseFailLines('checking...\nFAIL: no route to 192.168.2.0/24\n  FAIL:   B does not forward \nFAIL:\nok')).toEqual([
      'no route to 192.168.2.0/24',
      'B does not forward',
    ]);
  });
});
