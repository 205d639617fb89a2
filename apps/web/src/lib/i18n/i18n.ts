// The web app's languages (English and Korean) with svelte-i18n: ICU messages in en.json and
// ko.json, the language chosen from the person's account, else their last choice in this browser,
// else the browser's own; switching is remembered on the account (PATCH /api/auth/me) and here.
import { addMessages, getLocaleFromNavigator, init, locale, unwrapFunctionStore, format } from 'svelte-i18n';
import { get } from 'svelte/store';
import en from './en.json';
import ko from './ko.json';

export const LANGUAGES = [
  { code: 'en', name: 'English' },
  { code: 'ko', name: '한국어' },
] as const;
export type Language = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'praxis-language';

export function isLanguage(value: unknown): value is Language {
  return LANGUAGES.some((l) => l.code === value);
}

/** `ko-KR` -> `ko`; anything we do not have -> English. */
export function toLanguage(tag: string | null | undefined): Language {
  const base = (tag ?? '').split('-')[0]?.toLowerCase();
  return isLanguage(base) ? base : 'en';
}

function stored(): Language | undefined {
  if (typeof localStorage === 'undefined') return undefined;
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    return isLanguage(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

export function setupI18n(): void {
  addMessages('en', en);
  addMessages('ko', ko);
  const initial = stored() ?? toLanguage(getLocaleFromNavigator());
  init({ fallbackLocale: 'en', initialLocale: initial });
  if (typeof document === 'undefined') return; // unit tests
  document.documentElement.lang = initial;
  locale.subscribe((l) => {
    if (l) document.documentElement.lang = toLanguage(l);
  });
}

/** The language in use now. */
export function currentLanguage(): Language {
  return toLanguage(get(locale));
}

/** Switches the interface (and remembers it in this browser). The caller saves it on the account. */
export function applyLanguage(language: Language): void {
  try {
    if (typeof localStorage !== 'undefined') localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the account still remembers it.
  }
  locale.set(language);
}

/** The translation function for plain modules (components use `$_`). */
export const t = unwrapFunctionStore(format);
