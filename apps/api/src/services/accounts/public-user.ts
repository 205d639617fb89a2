// What of a user leaves the server: never the password hash.
import { z } from 'zod';
import type { User } from '@praxis/db';

export const publicUserSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(['learner', 'instructor', 'admin']),
  createdAt: z.date(),
});

export type PublicUser = z.infer<typeof publicUserSchema>;

export function toPublicUser(u: User): PublicUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, createdAt: u.createdAt };
}
