// The table `praxis lab grade` prints: one row per question, learner reasons on their own lines,
// the expected value under a wrong answer, and a summary that counts only graded questions.
import { describe, expect, it } from 'vitest';
import { formatAuthorGrades, type AuthorGradeRow } from './grade-for-author';

const row = (r: Partial<AuthorGradeRow> & Pick<AuthorGradeRow, 'questionId' | 'kind'>): AuthorGradeRow => ({ points: 0, maxPoints: 1, reason: '', durationMs: 1, ...r });

describe('formatAuthorGrades', () => {
  it('prints reasons line by line, expected values under wrong answers, and a summary', () => {
    const text = formatAuthorGrades([
      row({ questionId: 'route', kind: 'task', passed: false, maxPoints: 2, reason: 'A has no route\nC has no route' }),
      row({ questionId: 'mac', kind: 'answer', passed: false, reason: '"x" is not the expected answer.', expected: '02:42:c0:a8:01:06' }),
      row({ questionId: 'gw', kind: 'answer', reason: 'expected: "192.168.1.1"', expected: '192.168.1.1' }),
      row({ questionId: 'pick', kind: 'choice', passed: true, points: 1 }),
      row({ questionId: 'down', kind: 'task', passed: false, reason: 'Node a could not be checked right now; try again in a moment.', error: { code: 'NODE_NOT_RUNNING', message: 'node "a" is not running' } }),
    ]);
    expect(text.split('\n')).toEqual([
      'question  kind    passed  points  reason',
      'route     task    no      0/2     A has no route',
      '                                  C has no route',
      'mac       answer  no      0/1     "x" is not the expected answer.',
      '                                  expected: "02:42:c0:a8:01:06"',
      'gw        answer  -       -/1     expected: "192.168.1.1"',
      'pick      choice  yes     1/1',
      'down      task    error   0/1     Node a could not be checked right now; try again in a moment.',
      '                                  (NODE_NOT_RUNNING) node "a" is not running',
      '',
      '1/4 graded questions passed, 1/5 points; 1 shown with their expected answer only',
    ]);
  });
});
