// The API's schema language is zod (fastify-type-provider-zod, set up in api.routes.ts); the same schemas become the OpenAPI document, served at /api/docs (UI) and
// /api/docs/json.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

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
        try {
          return jsonSchemaTransform(input);
        } catch {
          return { schema: input.schema, url: input.url };
        }
      },
    });
    await app.register(swaggerUi, { routePrefix: '/api/docs' });
  },
  { name: 'openapi' },
);
