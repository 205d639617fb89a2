// Who is signed in, loaded once from GET /api/auth/me and updated by sign in/up/out; and the
// interface language, which follows the account once someone is signed in.
import { api, call, type User } from './api/client';
import { applyLanguage, currentLanguage, toLanguage, type Language } from './i18n/i18n';

export const session = $state<{ user: User | null; loaded: boolean }>({ user: null, loaded: false });

export async function loadSession(): Promise<void> {
  const { data } = await api.GET('/api/auth/me').catch(() => ({ data: undefined }));
  setUser(data?.user ?? null);
  session.loaded = true;
}

/** Signed in (or out): the account's language wins; a choice made before signing in is kept on it. */
export function setUser(user: User | null): void {
  session.user = user;
  if (!user) return;
  if (user.locale) applyLanguage(toLanguage(user.locale));
  else if (currentLanguage() !== 'en') void saveLanguage(currentLanguage());
}

async function saveLanguage(language: Language): Promise<void> {
  const saved = await call(() => api.PATCH('/api/auth/me', { body: { locale: language } })).catch(() => undefined);
  if (saved && session.user) session.user = saved.user;
}

/** The language switch: applies at once, and is remembered on the account when signed in. */
export async function setLanguage(language: Language): Promise<void> {
  applyLanguage(language);
  if (session.user) await saveLanguage(language);
}

export async function signOut(): Promise<void> {
  await call(() => api.POST('/api/auth/sign-out'));
  session.user = null;
}

export const isStaff = (user: User | null) => user?.role === 'instructor' || user?.role === 'admin';
