// Owns the Docker client for the server: decorates `app.sandbox` and runs the garbage collector
// at start-up and on an interval, so instances left by a crash or past their expiry go away. It
// also wires again the nodes of this deployment that Docker restarted (their init died, or the
// engine restarted): at once on Docker's start event, and on every sweep.
import fp from 'fastify-plugin';
import { collectGarbage, createDockerClient, repairInstances, type Docker } from '@praxis/sandbox';
import type { Config } from '../config';

export interface SandboxService {
  docker: Docker;
  images: Config['images'];
  scope: string;
  /** Ids of instances the server owns; set by the attempts service once it exists. */
  knownInstanceIds?: () => Promise<ReadonlySet<string>>;
  sweep(): Promise<void>;
  /** Wires again the nodes of this scope that restarted. */
  repair(): Promise<void>;
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
        await service.repair();
      },
      async repair() {
        for (const r of await repairInstances(docker, { scope: config.scope, ...config.images })) {
          if (r.error) app.log.error({ instance: r.instanceId, node: r.node, reason: r.reason, error: r.error }, 'wiring a restarted node failed');
          else app.log.info({ instance: r.instanceId, node: r.node, reason: r.reason }, 'restarted node wired again');
        }
      },
    };
    app.decorate('sandbox', service);

    // Docker's start events of this scope's nodes: a restarted node is wired again within a second.
    let events: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
    let closing = false;
    let pending: NodeJS.Timeout | undefined;
    const repairSoon = () => {
      clearTimeout(pending);
      pending = setTimeout(() => void service.repair().catch((error) => app.log.error({ err: error }, 'repair failed')), 200);
      pending.unref();
    };
    const follow = async (): Promise<void> => {
      try {
        events = (await docker.getEvents({
          filters: { type: ['container'], event: ['start'], label: ['praxis.role=node', `praxis.scope=${config.scope}`] },
        })) as NodeJS.ReadableStream & { destroy(): void };
        events.on('data', repairSoon);
        await new Promise<void>((resolve) => {
          events!.on('end', resolve);
          events!.on('error', () => resolve());
        });
      } catch (error) {
        app.log.warn({ err: error }, 'following Docker events failed');
      }
      // The engine restarted or the stream broke: follow again (and repair what restarted meanwhile).
      if (!closing) setTimeout(() => void follow().then(repairSoon), 5000).unref();
    };

    let timer: NodeJS.Timeout | undefined;
    app.addHook('onReady', async () => {
      void follow();
      await service.sweep().catch((error) => app.log.error({ err: error }, 'garbage collection failed'));
      timer = setInterval(() => {
        service.sweep().catch((error) => app.log.error({ err: error }, 'garbage collection failed'));
      }, config.gcIntervalSeconds * 1000);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      closing = true;
      clearInterval(timer);
      clearTimeout(pending);
      events?.destroy();
    });
  },
  { name: 'sandbox' },
);
