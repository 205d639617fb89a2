// zod issues rewritten for authors: required fields, wrong types with the value given, unknown
// fields with a "did you mean", enum values, sizes, and unions resolved to the intended branch.
import { describe, expect, it } from 'vitest';
import { labSchema } from './lab.schema';
import { describeSchemaIssues, suggestName } from './describe-schema-issues';
import { formatFieldPath } from '@praxis/topology';

const base = {
  title: 'T',
  summary: 'S',
  difficulty: 'easy',
  timeLimitMinutes: 10,
  topology: { nodes: [{ name: 'a' }], segments: [{ name: 'lan1' }], links: [{ node: 'a', segment: 'lan1', address: '192.168.1.5/24' }] },
  questions: [
    { id: 'q', kind: 'choice', prompt: 'q.md', explanation: 'e', options: [{ id: 'a', text: 'A', correct: true }, { id: 'b', text: 'B' }] },
    { id: 'r', kind: 'answer', prompt: 'r.md', explanation: 'e', expected: { value: 1 } },
    { id: 't', kind: 'task', prompt: 't.md', explanation: 'e', check: { node: 'a', run: 'true' }, solve: [{ node: 'a', run: 'true' }] },
  ],
};

function messages(data: Record<string, unknown>): string[] {
  const r = labSchema.safeParse(data);
  if (r.success) return [];
  return describeSchemaIssues(r.error.issues, data, labSchema).map((p) => `${formatFieldPath(p.path)}: ${p.message}`);
}

describe('describeSchemaIssues', () => {
  it('accepts the base document (the cases below each break one thing)', () => {
    expect(messages(base)).toEqual([]);
  });

  it('says a missing field is required and names the wrong type with the value given', () => {
    const { title: _t, ...rest } = base;
    expect(messages({ ...rest, timeLimitMinutes: 'ten' })).toEqual(['title: is required', 'timeLimitMinutes: must be a number (got "ten")']);
  });

  it('suggests the field an unknown key was probably meant to be', () => {
    const questions = base.questions.map((q, i) => (i === 2 ? { ...q, hnit: 'x' } : q));
    expect(messages({ ...base, questions })).toEqual(['questions[2].hnit: unknown field (did you mean "hint"?)']);
    const nodes = [{ name: 'a', hostnmae: 'h' }];
    expect(messages({ ...base, topology: { ...base.topology, nodes } })).toEqual(['topology.nodes[0].hostnmae: unknown field (did you mean "hostname"?)']);
    expect(messages({ ...base, zzz: 1 })[0]).toMatch(/^zzz: unknown field \(fields here: id, title, summary/);
  });

  it('lists the allowed values of an enum and of the question kind', () => {
    const questions = base.questions.map((q, i) => (i === 0 ? { ...q, kind: 'tsk' } : q));
    expect(messages({ ...base, difficulty: 'simple', questions })).toEqual([
      'difficulty: must be one of "easy", "medium", "hard" (got "simple")',
      'questions[0].kind: must be one of "choice", "answer", "task" (got "tsk")',
    ]);
  });

  it('resolves a union to the branch the author meant', () => {
    const questions = base.questions.map((q, i) => (i === 1 ? { ...q, expected: { valeu: 1 } } : q));
    expect(messages({ ...base, questions })).toEqual(['questions[1].expected.value: is required', 'questions[1].expected.valeu: unknown field (did you mean "value"?)']);
    expect(messages({ ...base, variables: { gw: [1] } })).toEqual(['variables.gw: must be text or a number (got a list)']);
  });

  it('phrases sizes and bounds', () => {
    const questions = base.questions.map((q, i) => (i === 0 ? { ...q, options: [{ id: 'a', text: '', correct: true }] } : q));
    expect(messages({ ...base, timeLimitMinutes: 0, questions })).toEqual([
      'timeLimitMinutes: must be at least 1 (got 0)',
      'questions[0].options[0].text: must not be empty',
      'questions[0].options: needs at least 2 items (got 1)',
    ]);
  });
});

describe('suggestName', () => {
  it('suggests only close names', () => {
    expect(suggestName('hnit', ['hint', 'id'])).toBe('hint');
    expect(suggestName('explantion', ['explanation', 'prompt'])).toBe('explanation');
    expect(suggestName('banana', ['hint', 'id'])).toBeUndefined();
  });
});
