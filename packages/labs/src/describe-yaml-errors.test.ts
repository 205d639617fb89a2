// YAML syntax errors as authors meet them: one readable error with line and column, not the
// parser's cascade; every duplicate key; a quoting hint where a value holds YAML syntax.
import { describe, expect, it } from 'vitest';
import { LineCounter, parseDocument } from 'yaml';
import { describeYamlErrors } from './describe-yaml-errors';

function errorsOf(text: string) {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  return { raw: doc.errors.length, issues: describeYamlErrors(doc.errors, text, lines) };
}

describe('describeYamlErrors', () => {
  it('reports one error, with line and column and a quoting hint, for an unquoted awk -F": " in a block value', () => {
    const text = `title: T\nquestions:\n  - id: q\n    expected:\n      script:\n        node: a\n        run: grep x /etc/hosts | awk -F': ' '{print $2}'\n    reference: "x"\n    normalize: [ip]\n  - id: r\n    kind: task\n`;
    const { raw, issues } = errorsOf(text);
    expect(raw).toBeGreaterThan(3);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'LAB_YAML_SYNTAX', file: 'lab.yaml', line: 7, column: 14 });
    expect(issues[0]!.message).toMatch(/quote the whole value/);
    expect(issues[0]!.message).toMatch(/more syntax errors after it/);
  });

  it('gives the quoting hint for the same mistake inside a flow mapping', () => {
    const { issues } = errorsOf(`solve:\n  - { node: a, run: awk -F': ' '{print $2}' }\n  - { node: b, run: "true" }\n`);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.line).toBe(2);
    expect(issues[0]!.message).toMatch(/quote the whole value/);
  });

  it('reports every duplicate key by name, and a tab used as indentation in plain words', () => {
    const dup = errorsOf('a: 1\na: 2\nb: { c: 1, c: 2 }\n').issues;
    expect(dup.map((i) => [i.line, i.message])).toEqual([
      [2, 'the key "a" appears twice in the same mapping (YAML keys must be unique)'],
      [3, 'the key "c" appears twice in the same mapping (YAML keys must be unique)'],
    ]);
    const tab = errorsOf('a:\n\t- x\n').issues;
    expect(tab).toEqual([expect.objectContaining({ line: 2, column: 1, message: 'a tab is used for indentation; YAML indents with spaces only' })]);
  });

  it('keeps the parser message for other errors (no hint when nothing needs quoting)', () => {
    const { issues } = errorsOf('a: [1, 2\nb: 3\n');
    expect(issues).toHaveLength(1);
    expect(issues[0]!.message).not.toMatch(/quote/);
    expect(issues[0]!.message).toMatch(/Flow sequence/);
  });
});
