import { describe, expect, it } from 'vitest';
import { ApiProblem, toProblem } from './client';

const response = (status: number) => new Response(null, { status });

describe('toProblem', () => {
  it('carries the problem+json sentence, its code and extra members', () => {
    const p = toProblem(
      { type: '/problems/bank-invalid', title: 'Unprocessable Entity', status: 422, code: 'BANK_INVALID', detail: 'the import was refused whole', errors: [{ file: 'lab.yaml', line: 3 }] },
      response(422),
    );
    expect(p).toBeInstanceOf(ApiProblem);
    expect(p.message).toBe('the import was refused whole');
    expect(p.code).toBe('BANK_INVALID');
    expect(p.extra).toEqual({ errors: [{ file: 'lab.yaml', line: 3 }] });
  });

  it('never shows a bare status code when the body has no sentence', () => {
    expect(toProblem('<html>Bad Gateway</html>', response(502)).message).toBe('Something went wrong on the server; please try again in a moment.');
    expect(toProblem(undefined, response(404)).message).not.toMatch(/\d{3}/);
    expect(toProblem({ title: 'Forbidden' }, response(403)).message).toBe('Forbidden');
  });
});
