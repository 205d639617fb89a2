// Administration of accounts: list them and change a role (never leaving the server without an admin).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN } from '../lib/access';
import { listAccounts } from '../services/accounts/account-views';
import { changeRole } from '../services/accounts/change-role';
import { publicUserSchema, toPublicUser } from '../services/accounts/public-user';

const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/users', {
    config: { access: ADMIN },
    schema: { tags: ['accounts'], summary: 'All accounts', response: { 200: z.object({ users: z.array(publicUserSchema) }) } },
  }, async () => ({ users: await listAccounts(app.db) }));

  app.patch('/api/users/:userId', {
    config: { access: ADMIN },
    schema: {
      tags: ['accounts'],
      summary: "Change a user's role (the last admin stays admin: 409 LAST_ADMIN)",
      params: z.object({ userId: z.string().uuid() }),
      body: z.object({ role: z.enum(['learner', 'instructor', 'admin']) }),
      response: { 200: z.object({ user: publicUserSchema }) },
    },
  }, async (request) => ({ user: toPublicUser(await changeRole(app.db, request.params.userId, request.body.role)) }));
};

export default usersRoutes;
