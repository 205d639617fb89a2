// Question banks: import a folder of labs as a new version, list, look at one version, publish,
// name co-instructors. An instructor sees and changes the banks they own or co-instruct.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { STAFF } from '../lib/access';
import { text, wholeNumber } from '../lib/input-schemas';
import { ApiError } from '../lib/api-error';
import { requireUser } from '../plugins/auth.plugin';
import { countQuestions, listBanks, publishBankVersion, viewBankVersion } from '../services/banks/bank-views';
import { importBankSource } from '../services/banks/import-bank-source';
import { prepareBankLabImages } from '../services/banks/prepare-lab-images';
import { readBankContent } from '../services/banks/bank-content';
import { labImportReportSchema, SOURCE_FORMATS } from '../services/banks/convert-scenarios';
import { extractArchive } from '../services/banks/extract-archive';
import { resolveImportPath } from '../services/banks/resolve-import-path';
import { managersSchema } from '../services/access/co-instructors';
import { findManagedBank } from '../services/access/staff-access';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config';

const versionSchema = z.object({ id: z.string(), version: z.number(), labs: z.array(z.string()), publishedAt: z.date().nullable(), createdAt: z.date() });
const bankSchema = z.object({ id: z.string(), slug: z.string(), title: z.string(), ...managersSchema, versions: z.array(versionSchema) });
const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes');

const UPLOAD_TYPES = ['application/gzip', 'application/x-gzip', 'application/zip', 'application/octet-stream'];
const UPLOAD_LIMIT = 20 * 1024 * 1024;
const importResult = z.object({
  bankId: z.string(),
  version: z.number(),
  labs: z.array(z.string()),
  questions: z.number(),
  /** Per lab converted from Killercoda/Instruqt content, what was mapped, adapted, to review, not mapped; null for a Praxis bank. */
  importReport: z.array(labImportReportSchema).nullable(),
});
const format = z.enum(SOURCE_FORMATS).default('praxis').describe('what the folder holds: a Praxis bank (labs), Killercoda scenarios (index.json) or Instruqt tracks (track.yml), converted as `praxis import` does');

const banksRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  /** A new version's lab images (Debian packages) start building now, in the background. */
  const prepareImages = (version: { id: string; content: unknown }) => {
    try {
      void prepareBankLabImages({ engines: app.sandbox.engines, labs: readBankContent(version).labs, images: app.sandbox.images, log: app.log });
    } catch (err) {
      app.log.error({ err, version: version.id }, 'the lab images of an imported version could not be prepared');
    }
  };
  // Uploads are unpacked under the data folder (removed after the import, also on failure).
  const uploadsDir = path.join(config.dataDir, 'uploads');
  // Archives arrive as the raw request body (no multipart): only in this plugin's routes.
  app.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (_req, body, done) => done(null, body));

  app.post('/api/banks/upload', {
    config: { access: STAFF },
    bodyLimit: UPLOAD_LIMIT,
    schema: {
      tags: ['banks'],
      summary: 'Import an uploaded .tar.gz or .zip of a bank folder, or of Killercoda scenarios or Instruqt tracks to convert (body: the file; Content-Type application/gzip or application/zip)',
      querystring: z.object({ slug, title: text({ min: 1, max: 200, trim: true }).optional(), publish: z.enum(['true', 'false']).default('true'), format }),
      response: { 201: importResult },
    },
  }, async (request, reply) => {
    const user = requireUser(request.user);
    if (!Buffer.isBuffer(request.body)) throw new ApiError(415, 'ARCHIVE_UNSUPPORTED', `send the archive as the body with Content-Type ${UPLOAD_TYPES.slice(0, 3).join(' or ')}`);
    const { root, dir } = await extractArchive(request.body, { parent: uploadsDir, folderName: request.query.slug });
    let imported;
    try {
      const { slug: s, title, publish, format: f } = request.query;
      imported = await importBankSource(app.db, { format: f, scratchParent: uploadsDir, timeLimitMs: config.importTimeLimitMs, slug: s, title, dir, shownAs: 'the archive', publish: publish === 'true', user });
    } finally {
      // Before the answer leaves, so nothing of the upload is on disk once the client has it.
      await rm(root, { recursive: true, force: true });
    }
    const { bank, version, importReport } = imported;
    prepareImages(version);
    const questions = await countQuestions(app.db, version.id);
    return reply.status(201).send({ bankId: bank.id, version: version.version, labs: version.labs, questions, importReport });
  });
  app.post('/api/banks/import', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Import a folder of labs under the server\'s import folder (PRAXIS_IMPORT_ROOT; `path` relative to it) as a new bank version (validated whole; nothing is written on any error)',
      body: z.object({ slug, title: text({ min: 1, max: 200, trim: true }).optional(), path: text({ min: 1, max: 1000 }), publish: z.boolean().default(true), format }),
      response: { 201: importResult },
    },
  }, async (request, reply) => {
    const user = requireUser(request.user);
    const dir = await resolveImportPath(config.importRoot, request.body.path);
    const { bank, version, importReport } = await importBankSource(app.db, { ...request.body, scratchParent: uploadsDir, timeLimitMs: config.importTimeLimitMs, dir, shownAs: request.body.path, user });
    prepareImages(version);
    const questions = await countQuestions(app.db, version.id);
    return reply.status(201).send({ bankId: bank.id, version: version.version, labs: version.labs, questions, importReport });
  });

  app.get('/api/banks', {
    config: { access: STAFF },
    schema: { tags: ['banks'], summary: 'All banks and their versions', response: { 200: z.object({ banks: z.array(bankSchema) }) } },
  }, async (request) => ({ banks: await listBanks(app.db, requireUser(request.user)) }));

  app.get('/api/banks/:bankId/versions/:version', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'One bank version with its questions',
      params: z.object({ bankId: z.string().uuid(), version: wholeNumber({ min: 1, coerce: true }) }),
      response: {
        200: versionSchema.extend({
          importReport: z.array(labImportReportSchema).nullable(),
          questions: z.array(z.object({ id: z.string(), lab: z.string(), key: z.string(), kind: z.string(), title: z.string(), points: z.number(), tags: z.array(z.string()), difficulty: z.string().nullable() })),
        }),
      },
    },
  }, async (request) => {
    await findManagedBank(app.db, requireUser(request.user), request.params.bankId);
    const v = await viewBankVersion(app.db, request.params.bankId, request.params.version);
    const questions = v.questions;
    const importReport = v.importReport as z.infer<typeof labImportReportSchema>[] | null;
    return { id: v.id, version: v.version, labs: v.labs, publishedAt: v.publishedAt, createdAt: v.createdAt, importReport, questions };
  });

  app.post('/api/banks/:bankId/versions/:version/publish', {
    config: { access: STAFF },
    schema: {
      tags: ['banks'],
      summary: 'Publish a draft version (published versions never change)',
      params: z.object({ bankId: z.string().uuid(), version: wholeNumber({ min: 1, coerce: true }) }),
      response: { 200: versionSchema },
    },
  }, async (request) => {
    await findManagedBank(app.db, requireUser(request.user), request.params.bankId);
    const v = await publishBankVersion(app.db, request.params.bankId, request.params.version);
    return { id: v.id, version: v.version, labs: v.labs, publishedAt: v.publishedAt, createdAt: v.createdAt };
  });
};

export default banksRoutes;
