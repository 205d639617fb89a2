// Translations of a lab beside its original texts: `<file>.<lang>.md` next to the intro, the
// finish text and each prompt, and `translations.<lang>` in lab.yaml for titles, options, hints and explanations.
// Checks that a translation names only questions, options and texts that exist (a file for a
// prompt nobody uses, an option id that is not one), with file and line, and templates every
// translated text with the lab's variables like the original.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { LANGUAGE, type LabFile } from './lab.schema';
import type { LabTranslation, QuestionTranslation } from './lab.types';
import { findUnknownVariables } from './render-template';
import type { FieldPath } from './yaml-locate';

/** Where problems go (the loader's issue list). */
export interface TranslationIssues {
  field(code: string, at: FieldPath, message: string): void;
  file(code: string, file: string, line: number, message: string): void;
}

export interface LoadedTranslations {
  lab: Record<string, LabTranslation>;
  /** By question id, then language. */
  questions: Map<string, Record<string, QuestionTranslation>>;
}

const TRANSLATED_FILE = /^(.+)\.([a-z]{2,3}(?:-[A-Z]{2})?)\.md$/;

/** `questions/route.md` + `ko` -> `questions/route.ko.md` (the original must end in .md). */
export function translatedPath(original: string, lang: string): string | undefined {
  return original.endsWith('.md') ? `${original.slice(0, -3)}.${lang}.md` : undefined;
}

/** Every `<base>.<lang>.md` in the folders that hold the intro and the prompts (relative paths). */
async function findTranslatedFiles(dir: string, file: LabFile): Promise<{ rel: string; base: string; lang: string }[]> {
  const folders = new Set([path.posix.dirname(file.intro), ...(file.finish ? [path.posix.dirname(file.finish)] : []), ...file.questions.map((q) => path.posix.dirname(q.prompt))]);
  const found: { rel: string; base: string; lang: string }[] = [];
  for (const folder of folders) {
    const names = await readdir(path.join(dir, folder)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const m = TRANSLATED_FILE.exec(name);
      if (!m || !LANGUAGE.test(m[2]!)) continue;
      const rel = folder === '.' ? name : `${folder}/${name}`;
      found.push({ rel, base: folder === '.' ? `${m[1]}.md` : `${folder}/${m[1]}.md`, lang: m[2]! });
    }
  }
  return found;
}

/**
 * Reads and checks the lab's translations. `read` returns a file's text (or a reason it cannot be
 * used); `render` templates variables. Reports every problem and returns what is usable.
 */
export async function loadTranslations(
  dir: string,
  file: LabFile,
  variables: Record<string, string>,
  issues: TranslationIssues,
  read: (rel: string) => Promise<string | { reason: string }>,
  render: (text: string) => string,
): Promise<LoadedTranslations> {
  const lab: Record<string, LabTranslation> = {};
  const questions = new Map<string, Record<string, QuestionTranslation>>();
  const forQuestion = (id: string, lang: string): QuestionTranslation => {
    const byLang = questions.get(id) ?? {};
    questions.set(id, byLang);
    return (byLang[lang] ??= {});
  };
  const variableList = Object.keys(variables).join(', ') || 'none';
  const checkVariables = (text: string, report: (line: number, name: string) => void) => {
    for (const u of findUnknownVariables(text, variables)) report(u.line, u.name);
  };

  // Markdown files, found by name beside the originals.
  const promptOwner = new Map(file.questions.map((q) => [q.prompt, q.id]));
  for (const { rel, base, lang } of await findTranslatedFiles(dir, file)) {
    const owner = base === file.intro ? 'intro' : base === file.finish ? 'finish' : promptOwner.get(base);
    if (!owner) {
      issues.file(
        'LAB_TRANSLATION_UNKNOWN',
        rel,
        1,
        `translates "${base}", which is neither the intro (${file.intro})${file.finish ? `, the finish text (${file.finish})` : ''} nor the prompt of a question (prompts: ${[...promptOwner.keys()].join(', ')})`,
      );
      continue;
    }
    const text = await read(rel);
    if (typeof text !== 'string') {
      issues.file('LAB_FILE_MISSING', rel, 1, `cannot use "${rel}": ${text.reason}`);
      continue;
    }
    if (text.trim() === '') {
      issues.file('LAB_FILE_EMPTY', rel, 1, `"${rel}" is empty`);
      continue;
    }
    checkVariables(text, (line, name) => issues.file('LAB_VARIABLE_UNKNOWN', rel, line, `{{ ${name} }} is not a lab variable (variables: ${variableList})`));
    if (owner === 'intro' || owner === 'finish') (lab[lang] ??= {})[owner] = render(text);
    else forQuestion(owner, lang).prompt = render(text);
  }

  // Short texts in lab.yaml.
  const byId = new Map(file.questions.map((q, i) => [q.id, { q, i }]));
  for (const [lang, t] of Object.entries(file.translations)) {
    const at: FieldPath = ['translations', lang];
    for (const key of ['title', 'summary'] as const) {
      const text = t[key];
      if (text === undefined) continue;
      checkVariables(text, (_l, name) => issues.field('LAB_VARIABLE_UNKNOWN', [...at, key], `{{ ${name} }} is not a lab variable (variables: ${variableList})`));
      (lab[lang] ??= {})[key] = render(text);
    }
    for (const [id, qt] of Object.entries(t.questions)) {
      const qat: FieldPath = [...at, 'questions', id];
      const found = byId.get(id);
      if (!found) {
        issues.field('LAB_TRANSLATION_UNKNOWN', qat, `"${id}" is not a question of this lab (questions: ${[...byId.keys()].join(', ')})`);
        continue;
      }
      const { q } = found;
      const out = forQuestion(id, lang);
      for (const key of ['explanation', 'hint'] as const) {
        const text = qt[key];
        if (text === undefined) continue;
        if (key === 'hint' && q.hint === undefined) {
          issues.field('LAB_TRANSLATION_UNKNOWN', [...qat, key], `question "${id}" has no hint to translate`);
          continue;
        }
        checkVariables(text, (_l, name) => issues.field('LAB_VARIABLE_UNKNOWN', [...qat, key], `{{ ${name} }} is not a lab variable (variables: ${variableList})`));
        out[key] = render(text);
      }
      if (qt.options) {
        if (q.kind !== 'choice') {
          issues.field('LAB_TRANSLATION_UNKNOWN', [...qat, 'options'], `question "${id}" is a${q.kind === 'answer' ? 'n' : ''} ${q.kind} question and has no options`);
          continue;
        }
        const optionIds = q.options.map((o) => o.id);
        for (const [optionId, text] of Object.entries(qt.options)) {
          if (!optionIds.includes(optionId)) {
            issues.field('LAB_TRANSLATION_UNKNOWN', [...qat, 'options', optionId], `"${optionId}" is not an option of question "${id}" (options: ${optionIds.join(', ')})`);
            continue;
          }
          checkVariables(text, (_l, name) => issues.field('LAB_VARIABLE_UNKNOWN', [...qat, 'options', optionId], `{{ ${name} }} is not a lab variable (variables: ${variableList})`));
          (out.options ??= {})[optionId] = render(text);
        }
      }
    }
  }
  return { lab, questions };
}
