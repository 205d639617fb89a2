// Who is signed in, loaded once from GET /api/auth/me and updated by sign in/up/out.
import { api, call, type User } from './api/client';

export const session = $state<{ user: User | null; loaded: boolean }>({ user: null, loaded: false });

export async function loadSession(): Promise<void> {
  const { data } = await api.GET('/api/auth/me').catch(() => ({ data: undefined }));
  session.user = data?.user ?? null;
  session.loaded = true;
}

export function setUser(user: User | null): void {
  session.user = user;
}

export async function signOut(): Promise<void> {
  await call(() => api.POST('/api/auth/sign-out'));
  session.user = null;
}

export const isStaff = (user: User | null) => user?.role === 'instructor' || user?.role === 'admin';
