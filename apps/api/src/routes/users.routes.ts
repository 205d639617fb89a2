// Administration of accounts: list them and change a role.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ADMIN } from '../lib/access';
import { notFound } from '../lib/api-error';
import { publicUserSchema, toPublicUser } from '../services/accounts/public-user';

const usersRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/users', {
    config: { access: ADMIN },
    schema: { tags: ['accounts'], summary: 'All accounts', response: { 200: z.object({ users: z.array(publicUserSchema) }) } },
  }, async () => ({ users: (await app.db.user.findMany({ orderBy: { createdAt: 'asc' } })).map(toPublicUser) }));

  app.patch('/api/users/:userId', {
    config: { access: ADMIN },
    schema: {
      tags: ['accounts'],
      summary: "Change a user's role",
      params: z.object({ userId: z.string().uuid() }),
      body: z.object({ role: z.enum(['learner', 'instructor', 'admin']) }),
      response: { 200: z.object({ user: publicUserSchema }) },
    },
  }, async (request) => {
    const found = await app.db.user.findUnique({ where: { id: request.params.userId } });
    if (!found) throw notFound('user', request.params.userId);
    const user = await app.db.user.update({ where: { id: found.id }, data: { role: request.body.role } });
    return { user: toPublicUser(user) };
  });
};

export default usersRoutes;
