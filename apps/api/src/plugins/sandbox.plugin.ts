// Owns the Docker client for the server: decorates `app.sandbox` and runs the garbage collector
// at start-up and on an interval, so instances left by a crash or past their expiry go away.
import fp from 'fastify-plugin';
import { collectGarbage, createDockerClient, type Docker } from '@praxis/sandbox';
import type { Config } from '../config';

export interface SandboxService {
  docker: Docker;
  images: Config['images'];
  scope: string;
  /** Ids of instances the server owns; set by the attempts service once it exists. */
  knownInstanceIds?: () => Promise<ReadonlySet<string>>;
  sweep(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox: SandboxService;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const docker = createDockerClient(config.docker);
    const service: SandboxService = {
      docker,
      images: config.images,
      scope: config.scope,
      async sweep() {
        const known = service.knownInstanceIds ? await service.knownInstanceIds() : undefined;
        const removed = await collectGarbage(docker, { scope: config.scope, knownInstanceIds: known });
        for (const r of removed) app.log.info({ instance: r.id, reason: r.reason, containers: r.containers }, 'instance collected');
      },
    };
    app.decorate('sandbox', service);

    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      await service.sweep().catch((error) => app.log.error({ err: error }, 'garbage collection failed'));
      timer = setInterval(() => {
        service.sweep().catch((error) => app.log.error({ err: error }, 'garbage collection failed'));
      }, config.gcIntervalSeconds * 1000);
      timer.unref();
    });
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'sandbox' },
);
