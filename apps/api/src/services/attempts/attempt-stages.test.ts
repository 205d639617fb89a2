// Which questions of an attempt a lab stage keeps locked, the sentence a learner reads about it,
// and drawing a stage's questions with the tasks that open them.
import { describe, expect, it } from 'vitest';
import type { Lab } from '@praxis/labs';
import { describeLock, questionLocks, withUnlockingTasks } from './attempt-stages';

const lab = {
  id: 'staged',
  questions: [{ id: 'first' }, { id: 'fix', stage: 'two' }, { id: 'why', stage: 'two' }, { id: 'last', stage: 'three' }],
  stages: [
    { id: 'two', title: 'Part 2', unlock: ['first'], setup: [] },
    { id: 'three', title: 'Part 3', unlock: ['fix'], setup: [] },
  ],
} as unknown as Lab;
const labs = new Map([['staged', lab]]);
const q = (position: number, key: string) => ({ position, question: { lab: 'staged', key } });
const all = [q(1, 'first'), q(2, 'fix'), q(3, 'why'), q(4, 'last')];

describe('questionLocks', () => {
  it('locks every question of a stage without an open row, naming the questions that open it', () => {
    const locks = questionLocks(labs, [], all);
    expect([...locks.keys()]).toEqual([2, 3, 4]);
    expect(locks.get(2)).toEqual({ stage: 'two', title: 'Part 2', status: 'locked', unlockedBy: [{ position: 1, key: 'first' }], error: null });
    expect(describeLock(locks.get(4)!)).toBe('"Part 3" unlocks when you pass question 2 (press Check once it is done)');
  });

  it('opens a stage whose row is open, and tells a running or failed one', () => {
    const rows = [
      { lab: 'staged', stage: 'two', status: 'open', error: null },
      { lab: 'staged', stage: 'three', status: 'failed', error: 'setup setup/three.sh of stage "three" on a exited with 1: boom' },
    ];
    const locks = questionLocks(labs, rows, all);
    expect([...locks.keys()]).toEqual([4]);
    expect(describeLock(locks.get(4)!)).toBe('preparing "Part 3" on your machines failed (setup setup/three.sh of stage "three" on a exited with 1: boom); press Check on question 2 again to retry');
    expect(describeLock({ ...locks.get(4)!, status: 'running' })).toBe('"Part 3" is being prepared on your machines');
  });
});

describe('withUnlockingTasks', () => {
  it('puts the tasks that open a drawn stage question before it, recursively, and nothing twice', () => {
    const rows = ['first', 'fix', 'why', 'last'].map((key) => ({ lab: 'staged', key }));
    expect(withUnlockingTasks([rows[3]!, rows[2]!], rows, labs).map((r) => r.key)).toEqual(['first', 'fix', 'last', 'why']);
    expect(withUnlockingTasks([rows[0]!], rows, labs).map((r) => r.key)).toEqual(['first']);
  });
});
