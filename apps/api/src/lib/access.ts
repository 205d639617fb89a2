// Who may call a route, declared on every route as `config: { access }` and enforced by the auth
// plugin before anything else runs: 'public' (anyone), 'user' (any signed-in role), or a role list.
import type { Role } from '@praxis/db';

export type Access = 'public' | 'user' | readonly Role[];

export const STAFF: readonly Role[] = ['instructor', 'admin'];
export const ADMIN: readonly Role[] = ['admin'];

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
}
