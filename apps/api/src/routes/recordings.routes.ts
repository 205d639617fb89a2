// Staff replay of an attempt's terminals: list the asciicast recordings of its instances and
// stream one (application/x-asciicast), for the replay page of the cohort dashboard.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { requireUser } from '../plugins/auth.plugin';
import { STAFF } from '../lib/access';
import { text } from '../lib/input-schemas';
import { loadAttemptFor } from '../services/attempts/attempt-views';
import { listRecordings, openRecording, recordingSchema } from '../services/recordings/attempt-recordings';

const recordingsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/api/attempts/:attemptId/recordings', {
    config: { access: STAFF },
    schema: {
      tags: ['attempts'],
      summary: "The attempt's terminal recordings (asciicast v2), one per terminal session of a node, oldest first",
      params: z.object({ attemptId: z.string().uuid() }),
      response: { 200: z.object({ recordings: z.array(recordingSchema) }) },
    },
  }, async (request) => {
    const a = await loadAttemptFor(app.db, requireUser(request.user), request.params.attemptId, 'owner-or-staff');
    return { recordings: await listRecordings(app.db, a) };
  });

  app.get('/api/attempts/:attemptId/recordings/:instanceId/:file', {
    config: { access: STAFF },
    schema: {
      tags: ['attempts'],
      summary: 'One terminal recording as an asciicast v2 file',
      params: z.object({ attemptId: z.string().uuid(), instanceId: text({ min: 1, max: 64 }), file: text({ min: 1, max: 120 }) }),
      produces: ['application/x-asciicast'],
    },
  }, async (request, reply) => {
    const { attemptId, instanceId, file } = request.params;
    const a = await loadAttemptFor(app.db, requireUser(request.user), attemptId, 'owner-or-staff');
    const { stream } = await openRecording(app.db, a, instanceId, file);
    return reply.type('application/x-asciicast').header('cache-control', 'private, no-store').send(stream);
  });
};

export default recordingsRoutes;
