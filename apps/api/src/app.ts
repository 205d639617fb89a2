// The Fastify application as a plugin: external plugins first, then Praxis services, then routes.
// server.ts starts it; tests build it with buildApp() and call app.inject.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config';
import sandboxPlugin from './plugins/sandbox.plugin';
import healthRoutes from './routes/health.routes';

export async function buildApp(config: Config, options: { logger?: boolean } = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    bodyLimit: 1024 * 1024,
  });
  await app.register(sandboxPlugin, { config });
  await app.register(healthRoutes);
  return app;
}
