import { describe, expect, it } from 'vitest';
import { localizeTestTexts, soleLabOf } from './test-texts';

const lab = {
  id: '01-switching-routing',
  title: 'Switching and routing',
  summary: 'Links, routes and forwarding.',
  intro: '',
  translations: { ko: { title: '스위칭과 라우팅', summary: '링크, 경로와 전달.' } },
};
const fixed = (questions: string[]) => ({ mode: 'fixed', questions });

describe('soleLabOf', () => {
  it('names the lab only when every question the selection can reach comes from it', () => {
    expect(soleLabOf({ mode: 'fixed', questions: ['a', '01-switching-routing/b'] }, '01-switching-routing')).toBe('01-switching-routing');
    expect(soleLabOf({ mode: 'fixed', questions: ['a', '02-dns/b'] }, '01-switching-routing')).toBeNull();
    expect(soleLabOf({ mode: 'draw', pools: [{ count: 2 }] }, '02-dns')).toBe('02-dns');
    // A pool without labs and a test without a lab draws from the whole bank.
    expect(soleLabOf({ mode: 'draw', pools: [{ count: 2 }] }, null)).toBeNull();
    expect(soleLabOf({ mode: 'draw', pools: [{ count: 1, labs: ['02-dns'] }, { count: 1 }] }, '01-switching-routing')).toBeNull();
  });
});

describe('localizeTestTexts', () => {
  it("reads a test that carries its lab's title and summary in the reader's language", () => {
    const test = { title: lab.title, description: lab.summary, lab: lab.id, selection: fixed(['a']) };
    expect(localizeTestTexts(test, [lab], 'ko-KR')).toEqual({ title: '스위칭과 라우팅', description: '링크, 경로와 전달.' });
    expect(localizeTestTexts(test, [lab], 'en')).toEqual({ title: lab.title, description: lab.summary });
    expect(localizeTestTexts(test, [lab], undefined)).toEqual({ title: lab.title, description: lab.summary });
  });

  it("keeps what an instructor wrote: their own title, their own description, a test across labs", () => {
    const own = { title: 'Routing practice', description: lab.summary, lab: lab.id, selection: fixed(['a']) };
    expect(localizeTestTexts(own, [lab], 'ko')).toEqual({ title: 'Routing practice', description: lab.summary });
    const ownDescription = { title: lab.title, description: 'Read the routes.', lab: lab.id, selection: fixed(['a']) };
    expect(localizeTestTexts(ownDescription, [lab], 'ko')).toEqual({ title: '스위칭과 라우팅', description: 'Read the routes.' });
    const across = { title: lab.title, description: lab.summary, lab: lab.id, selection: fixed(['a', '02-dns/b']) };
    expect(localizeTestTexts(across, [lab], 'ko').title).toBe(lab.title);
  });
});
