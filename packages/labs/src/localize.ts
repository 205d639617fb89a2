// A lab or question in the reader's language: each text from the translation when the lab has
// one for that language, else the original. Works on stored labs too (bank content is the Lab
// as loaded, translations included).
import type { Lab, Question } from './lab.types';

/** `ko-KR` finds `ko`; an exact tag wins. undefined when the lab has no such translation. */
export function pickLanguage(available: Iterable<string>, wanted: string | undefined): string | undefined {
  if (!wanted) return undefined;
  const list = [...available];
  return list.find((l) => l === wanted) ?? list.find((l) => l === wanted.split('-')[0]) ?? list.find((l) => l.split('-')[0] === wanted.split('-')[0]);
}

/** The question's texts in `language` where translated (options keep their ids and order). */
export function localizeQuestion<Q extends Question>(question: Q, language: string | undefined): Q {
  const lang = pickLanguage(Object.keys(question.translations ?? {}), language);
  const t = lang ? question.translations?.[lang] : undefined;
  if (!t) return question;
  const out = {
    ...question,
    prompt: t.prompt ?? question.prompt,
    explanation: t.explanation ?? question.explanation,
    ...(question.hint !== undefined ? { hint: t.hint ?? question.hint } : {}),
  };
  if (out.kind === 'choice' && t.options) out.options = out.options.map((o) => ({ ...o, text: t.options?.[o.id] ?? o.text }));
  return out;
}

/** The lab's title, summary and intro in `language` where translated. */
export function localizeLab(lab: Pick<Lab, 'title' | 'summary' | 'intro' | 'translations'>, language: string | undefined): { title: string; summary: string; intro: string } {
  const lang = pickLanguage(Object.keys(lab.translations ?? {}), language);
  const t = lang ? lab.translations?.[lang] : undefined;
  return { title: t?.title ?? lab.title, summary: t?.summary ?? lab.summary, intro: t?.intro ?? lab.intro };
}

/** The lab's finish text (lab.yaml `finish`) in `language` where translated; undefined when the lab has none. */
export function localizeFinish(lab: Pick<Lab, 'finish' | 'translations'>, language: string | undefined): string | undefined {
  if (lab.finish === undefined) return undefined;
  const lang = pickLanguage(Object.keys(lab.translations ?? {}), language);
  return (lang ? lab.translations?.[lang]?.finish : undefined) ?? lab.finish;
}
