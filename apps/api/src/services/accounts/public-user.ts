// What of a user leaves the server: never the password hash.
import { z } from 'zod';
import type { User } from '@praxis/db';
import { UI_LANGUAGES, type UiLanguage } from '../../lib/reader-language';

export const publicUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['learner', 'instructor', 'admin']),
  /** The web app's language the person chose; null: the browser's. */
  locale: z.enum(UI_LANGUAGES).nullable(),
  createdAt: z.date(),
});

export type PublicUser = z.infer<typeof publicUserSchema>;

export function toPublicUser(u: User): PublicUser {
  const locale = (UI_LANGUAGES as readonly string[]).includes(u.locale ?? '') ? (u.locale as UiLanguage) : null;
  return { id: u.id, email: u.email, name: u.name, role: u.role, locale, createdAt: u.createdAt };
}
