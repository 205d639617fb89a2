// Naming co-instructors: PUT /api/banks/:bankId/instructors, /api/tests/:testId/instructors and
// /api/cohorts/:cohortId/instructors, each {emails} (the whole list), by the owner or an admin.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { DbClient, User } from '@praxis/db';
import { STAFF } from '../lib/access';
import { requireUser } from '../plugins/auth.plugin';
import { coInstructorsBody, setCoInstructors, staffPersonSchema, type Managed } from '../services/access/co-instructors';
import { assertOwner, findManagedBank, findManagedCohort, findManagedTest } from '../services/access/staff-access';

const KINDS: { kind: Managed; plural: string; param: string; find: (db: DbClient, user: User, id: string) => Promise<{ id: string; ownerId: string | null }> }[] = [
  { kind: 'bank', plural: 'banks', param: 'bankId', find: findManagedBank },
  { kind: 'test', plural: 'tests', param: 'testId', find: findManagedTest },
  { kind: 'cohort', plural: 'cohorts', param: 'cohortId', find: findManagedCohort },
];

const coInstructorsRoutes: FastifyPluginAsyncZod = async (app) => {
  for (const { kind, plural, param, find } of KINDS) {
    app.put(`/api/${plural}/:${param}/instructors`, {
      config: { access: STAFF },
      schema: {
        tags: [plural],
        summary: `Name the ${kind}'s co-instructors (the whole list, by e-mail of instructor accounts); its owner or an admin`,
        params: z.object({ [param]: z.string().uuid() }),
        body: coInstructorsBody,
        response: { 200: z.object({ instructors: z.array(staffPersonSchema) }) },
      },
    }, async (request) => {
      const user = requireUser(request.user);
      const resource = await find(app.db, user, (request.params as Record<string, string>)[param]!);
      assertOwner(user, resource, kind);
      return { instructors: await setCoInstructors(app.db, kind, resource.id, resource.ownerId, request.body.emails) };
    });
  }
};

export default coInstructorsRoutes;
