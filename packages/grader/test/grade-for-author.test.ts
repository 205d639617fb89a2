// `praxis lab grade` on a live instance: tasks graded with the learner's reasons, answers and
// choices graded when the author gives one and otherwise shown with what the grader expects.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { destroyInstance, execInNode, type Instance } from '@praxis/sandbox';
import type { Lab } from '@praxis/labs';
import { GraderError, gradeForAuthor, type GradeContext } from '../src';
import { docker, newScope, startLabInstance } from './helpers';

const scope = newScope('authorgrade');
let lab: Lab;
let instance: Instance;
let ctx: GradeContext;

beforeAll(async () => {
  ({ lab, instance, ctx } = await startLabInstance(fileURLToPath(new URL('./fixtures/surprising-lab', import.meta.url)), scope));
});
afterAll(async () => {
  if (instance) await destroyInstance(docker, instance.id);
});

describe('gradeForAuthor', () => {
  it('grades tasks with the learner-facing reason, before and after the fix', async () => {
    const [before] = await gradeForAuthor(ctx, lab, { questionIds: ['good'] });
    expect(before).toMatchObject({ questionId: 'good', passed: false, points: 0, reason: '/tmp/done is missing' });
    await execInNode(docker, instance.id, 'solo', ['touch', '/tmp/done']);
    const [after] = await gradeForAuthor(ctx, lab, { questionIds: ['good'] });
    expect(after).toMatchObject({ passed: true, points: 1, reason: '' });
  });

  it('shows the computed expected answer when no answer is given, and grades a given one', async () => {
    const rows = await gradeForAuthor(ctx, lab, { questionIds: ['wrong-reference', 'right-reference'], answers: { 'right-reference': 'SOLO-host' } });
    expect(rows.map((r) => r.questionId)).toEqual(['wrong-reference', 'right-reference']);
    expect(rows[0]).toMatchObject({ expected: 'solo-host', reason: 'expected: "solo-host"' });
    expect(rows[0]!.passed).toBeUndefined();
    expect(rows[1]).toMatchObject({ passed: true, points: 1, expected: 'solo-host' });
    const [wrong] = await gradeForAuthor(ctx, lab, { questionIds: ['right-reference'], answers: { 'right-reference': 'other-host' } });
    expect(wrong).toMatchObject({ passed: false, reason: '"other-host" is not the expected answer.', expected: 'solo-host' });
  });

  it('refuses unknown question ids and answers to tasks', async () => {
    await expect(gradeForAuthor(ctx, lab, { questionIds: ['nope'] })).rejects.toThrow(GraderError);
    await expect(gradeForAuthor(ctx, lab, { answers: { good: 'x' } })).rejects.toThrow(/is a task/);
  });
});
