// The Fastify application as a plugin: external plugins first, then Praxis services, then routes.
// server.ts starts it; tests build it with buildApp() and call app.inject.
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config';
import sandboxPlugin from './plugins/sandbox.plugin';
import errorsPlugin, { sendProblem } from './plugins/errors.plugin';
import openapiPlugin from './plugins/openapi.plugin';
import dbPlugin from './plugins/db.plugin';
import clusterPlugin from './plugins/cluster.plugin';
import authPlugin from './plugins/auth.plugin';
import apiRoutes from './routes/api.routes';
import attemptsPlugin from './plugins/attempts.plugin';
import authoringPlugin from './plugins/authoring.plugin';
import watchdogPlugin from './plugins/watchdog.plugin';
import enginesPlugin from './plugins/engines.plugin';
import labImagesPlugin from './plugins/lab-images.plugin';
import healthRoutes from './routes/health.routes';
import terminalPlugin from './terminal/terminal.plugin';
import webStatic from './plugins/web-static.plugin';
import securityHeaders from './plugins/security-headers.plugin';

export interface BuildOptions {
  logger?: boolean;
  /** The built web app to serve (default apps/web/dist); tests give a folder of their own. */
  webRoot?: string;
}

export async function buildApp(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: options.logger === false ? false : { level: config.logLevel },
    bodyLimit: 1024 * 1024,
    // Start-up work in plugins and onReady hooks (the first start imports the course bank: every lab
    // read and validated, more labs each release) may take more than Fastify's default 10 s on a
    // busy machine; a slow start is not a failed one.
    pluginTimeout: 60_000,
    // Client addresses (rate limits, logs) come from X-Forwarded-For only through trusted hops.
    ...(config.trustProxyHops > 0 ? { trustProxy: (_address: string, hop: number) => hop < config.trustProxyHops } : {}),
    // Bad URLs and over-long path parameters are refused before routing: as problem+json too.
    frameworkErrors: (error, _request, reply) =>
      sendProblem(reply, (error as { statusCode?: number }).statusCode ?? 400, error.code.replace(/^FST_ERR_/, ''), error.message),
  });
  await app.register(errorsPlugin);
  await app.register(securityHeaders, { config });
  await app.register(openapiPlugin);
  await app.register(dbPlugin, { config });
  await app.register(clusterPlugin, { config });
  await app.register(authPlugin, { config });
  await app.register(sandboxPlugin, { config });
  await app.register(attemptsPlugin, { config });
  await app.register(authoringPlugin, { config });
  await app.register(watchdogPlugin, { config });
  await app.register(enginesPlugin, { config });
  await app.register(labImagesPlugin, { config });
  await app.register(healthRoutes);
  await app.register(apiRoutes, { config });
  await app.register(terminalPlugin, { config });
  await app.register(webStatic, { config, ...(options.webRoot ? { root: options.webRoot } : {}) });
  return app;
}
