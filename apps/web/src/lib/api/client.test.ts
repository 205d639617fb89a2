import { describe, expect, it } from 'vitest';
import { applyLanguage, setupI18n } from '../i18n/i18n';
import { ApiProblem, toProblem } from './client';

setupI18n();

const response = (status: number) => new Response(null, { status });

describe('toProblem', () => {
  it("carries the server's sentence for a code without a plain one, its code and extra members", () => {
    const p = toProblem(
      { type: '/problems/bank-invalid', title: 'Unprocessable Entity', status: 422, code: 'BANK_INVALID', detail: 'the import was refused whole', errors: [{ file: 'lab.yaml', line: 3 }] },
      response(422),
    );
    expect(p).toBeInstanceOf(ApiProblem);
    expect(p.message).toBe('the import was refused whole');
    expect(p.code).toBe('BANK_INVALID');
    expect(p.extra).toEqual({ errors: [{ file: 'lab.yaml', line: 3 }] });
  });

  it('maps error codes to plain sentences in the interface language', () => {
    const body = { status: 409, code: 'ATTEMPTS_EXHAUSTED', detail: '"Routing" allows 1 attempt(s) and you have used them' };
    expect(toProblem(body, response(409)).message).toBe('You have used every attempt this test allows.');
    applyLanguage('ko');
    expect(toProblem(body, response(409)).message).toBe('이 시험에서 허용된 응시 횟수를 모두 사용했습니다.');
    applyLanguage('en');
  });

  it('fills the sentence with the numbers the problem carries', () => {
    const body = { status: 429, code: 'RESET_TOO_SOON', detail: 'the lab was reset a moment ago; reset it again in 21 s', seconds: 21 };
    expect(toProblem(body, response(429)).message).toBe('The lab was reset a moment ago. You can reset it again in 21 s.');
  });

  it('names the fields of a failed validation as people read them, not as paths', () => {
    const body = { status: 400, code: 'VALIDATION_FAILED', detail: 'body.selection.questions: Too small: expected array to have >=1 items', fields: [{ field: 'body.selection.questions', message: 'Too small' }] };
    const message = toProblem(body, response(400)).message;
    expect(message).toBe('Please check these fields: questions (pick at least one).');
    expect(message).not.toContain('body.');
  });

  it('never shows a bare status code when the body has no sentence', () => {
    expect(toProblem('<html>Bad Gateway</html>', response(502)).message).toBe('Something went wrong on the server; please try again in a moment.');
    expect(toProblem(undefined, response(404)).message).not.toMatch(/\d{3}/);
    expect(toProblem({ title: 'Forbidden' }, response(403)).message).toBe('Forbidden');
  });
});
