// Question banks: import a folder of labs as a new version, list, look at one version, publish.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { notFound } from '../lib/api-error';
import { requireUser } from '../plugins/auth.plugin';
import { listBanks, publishBankVersion } from '../services/banks/bank-views';
import { importBank } from '../services/banks/import-bank';

const versionSchema = z.object({ id: z.string(), version: z.number(), labs: z.array(z.string()), publishedAt: z.date().nullable(), createdAt: z.date() });
const bankSchema = z.object({ id: z.string(), slug: z.string(), title: z.string(), versions: z.array(versionSchema) });
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');

const banksRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post('/api/banks/import', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Import a folder of labs on the server as a new bank version (validated whole; nothing is written on any error)',
      body: z.object({ slug, title: z.string().min(1).max(200).optional(), path: z.string().min(1).max(1000), publish: z.boolean().default(true) }),
      response: { 201: z.object({ bankId: z.string(), version: z.number(), labs: z.array(z.string()), questions: z.number() }) },
    },
  }, async (request, reply) => {
    const user = requireUser(request.user);
    const { bank, version } = await importBank(app.db, { ...request.body, dir: request.body.path, userId: user.id });
    const questions = await app.db.question.count({ where: { bankVersionId: version.id } });
    return reply.status(201).send({ bankId: bank.id, version: version.version, labs: version.labs, questions });
  });

  app.get('/api/banks', {
    config: { access: STAFF },
    schema: { tags: ['banks'], summary: 'All banks and their versions', response: { 200: z.object({ banks: z.array(bankSchema) }) } },
  }, async () => ({ banks: await listBanks(app.db) }));

  app.get('/api/banks/:bankId/versions/:version', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'One bank version with its questions',
      params: z.object({ bankId: z.string().uuid(), version: z.coerce.number().int().min(1) }),
      response: {
        200: versionSchema.extend({
          questions: z.array(z.object({ id: z.string(), lab: z.string(), key: z.string(), kind: z.string(), title: z.string(), points: z.number(), tags: z.array(z.string()), difficulty: z.string().nullable() })),
        }),
      },
    },
  }, async (request) => {
    const v = await app.db.bankVersion.findUnique({
      where: { bankId_version: { bankId: request.params.bankId, version: request.params.version } },
      include: { questions: { orderBy: [{ lab: 'asc' }], select: { id: true, lab: true, key: true, kind: true, title: true, points: true, tags: true, difficulty: true } } },
    });
    if (!v) throw notFound('bank version', `${request.params.bankId}@${request.params.version}`);
    return { id: v.id, version: v.version, labs: v.labs, publishedAt: v.publishedAt, createdAt: v.createdAt, questions: v.questions };
  });

  app.post('/api/banks/:bankId/versions/:version/publish', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Publish a draft version (published versions never change)',
      params: z.object({ bankId: z.string().uuid(), version: z.coerce.number().int().min(1) }),
      response: { 200: versionSchema },
    },
  }, async (request) => {
    const v = await publishBankVersion(app.db, request.params.bankId, request.params.version);
    return { id: v.id, version: v.version, labs: v.labs, publishedAt: v.publishedAt, createdAt: v.createdAt };
  });
};

export default banksRoutes;
