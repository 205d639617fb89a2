// The API's schema language is zod (fastify-type-provider-zod, set up in api.routes.ts); the same schemas become the OpenAPI document, served at /api/docs (UI) and
// /api/docs/json.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

const PROBLEM_SCHEMA = {
  description: 'An error as application/problem+json (RFC 9457) with a stable code',
  type: 'object',
  required: ['type', 'title', 'status', 'code', 'detail'],
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    code: { type: 'string', description: 'stable, e.g. ATTEMPT_TIME_UP' },
    detail: { type: 'string', description: 'a sentence for a person' },
  },
  additionalProperties: true,
};

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: { title: 'Praxis API', version: '0.1.0', description: 'Timed practice tests on real Linux labs. Errors are application/problem+json.' },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'praxis_session' },
            csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
          },
        },
      },
      // Routes outside the zod context (e.g. /healthz) carry plain JSON schemas: pass them through.
      transform: (input) => {
        let out: { schema: Record<string, unknown>; url: string };
        try {
          out = jsonSchemaTransform(input) as typeof out;
        } catch {
          return { schema: input.schema, url: input.url };
        }
        // Every API route may answer with a problem document; say so once for all of them.
        if (input.url.startsWith('/api/') && out.schema.response) {
          out.schema = { ...out.schema, response: { ...(out.schema.response as object), '4XX': PROBLEM_SCHEMA } };
        }
        return out;
      },
    });
    // The page runs under the server's own Content-Security-Policy (its scripts are files of this origin).
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
  },
  { name: 'openapi' },
);
