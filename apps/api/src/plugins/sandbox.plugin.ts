// Owns the Docker engine for the server: decorates `app.sandbox`, records the engine in the
// database (the rows queue claims lock and placement reads), and gives the leader the garbage
// collector: at start-up and on an interval, instances left by a crash, past their expiry, or
// unknown to the database (every process's attempts and authoring runs) go away. The leader also
// wires again the nodes of this deployment that Docker restarted (their init died, or the engine
// restarted): at once on Docker's start event, and on every sweep.
import fp from 'fastify-plugin';
import { collectGarbage, createDockerClient, repairInstances, type Docker } from '@praxis/sandbox';
import type { Config } from '../config';
import { listLiveInstanceIds } from '../services/instances/live-instance-ids';

/** The engine of a deployment with one (DOCKER_HOST or the local socket). */
export const DEFAULT_ENGINE_ID = 'default';

export interface SandboxService {
  docker: Docker;
  images: Config['images'];
  scope: string;
  /**
   * Ids of the instances the deployment holds: every process's attempts and authoring runs (from
   * the database) and this process's own sources (the warm pool), which the collector must keep.
   */
  knownInstanceIds(): Promise<ReadonlySet<string>>;
  /** Declares instances this process holds outside the database (the warm pool declares its own). */
  addKnownInstances(source: () => Iterable<string>): void;
  sweep(): Promise<void>;
  /** Wires again the nodes of this scope that restarted. */
  repair(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    sandbox: SandboxService;
  }
}

export interface SandboxPluginOptions {
  config: Config;
  /** false: no garbage collector (a server that only serves terminals of instances made elsewhere: the terminal tests). */
  collect?: boolean;
}

export default fp<SandboxPluginOptions>(
  async (app, { config, collect = true }) => {
    const docker = createDockerClient(config.docker);
    const url = config.docker.host ?? 'unix:///var/run/docker.sock';
    await app.db.engine.upsert({
      where: { id: DEFAULT_ENGINE_ID },
      create: { id: DEFAULT_ENGINE_ID, url, capacity: config.maxInstances },
      update: { url, capacity: config.maxInstances, updatedAt: new Date() },
    });
    const localSources: (() => Iterable<string>)[] = [];
    const service: SandboxService = {
      docker,
      images: config.images,
      scope: config.scope,
      async knownInstanceIds() {
        const known = await listLiveInstanceIds(app.db);
        for (const source of localSources) for (const id of source()) known.add(id);
        return known;
      },
      addKnownInstances(source) {
        localSources.push(source);
      },
      async sweep() {
        const known = await service.knownInstanceIds();
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
    if (!collect) return;
    app.cluster.tasks.every('collect garbage', config.gcIntervalSeconds * 1000, () => service.sweep());

    // Docker's start events of this scope's nodes: a restarted node is wired again within a second,
    // by the leader (one process wires; the others hear the event too and leave it).
    let events: (NodeJS.ReadableStream & { destroy(): void }) | undefined;
    let closing = false;
    let pending: NodeJS.Timeout | undefined;
    const repairSoon = () => {
      if (!app.cluster.coordination.leader) return;
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
    app.addHook('onReady', async () => {
      void follow();
    });
    app.addHook('onClose', async () => {
      closing = true;
      clearTimeout(pending);
      events?.destroy();
    });
  },
  { name: 'sandbox', dependencies: ['db', 'cluster'] },
);
