// Owns the Docker engines for the server (`app.sandbox`): a client per configured engine, the
// engine rows in the database (queue claims lock them and placement reads them; an engine no
// longer configured is retired), the engine an instance lives on, and the leader's garbage
// collector: at start-up and on an interval, on every engine that answers, instances left by a
// crash, past their expiry, or unknown to the database (every process's attempts and authoring
// runs) go away. The leader also wires again the nodes of this deployment that Docker restarted
// (their init died, or the engine restarted): at once on an engine's start event, and on every sweep.
import fp from 'fastify-plugin';
import { collectGarbage, EngineSet, pingEngine, repairInstances, type Docker } from '@praxis/sandbox';
import type { Config } from '../config';
import { findInstanceEngine } from '../services/engines/find-instance-engine';
import { listLiveInstanceIds } from '../services/instances/live-instance-ids';

export interface SandboxService {
  engines: EngineSet;
  /** The first engine's client: for tests, single-engine tools and the warm pool; the server itself goes through engineOf. */
  docker: Docker;
  images: Config['images'];
  scope: string;
  /** The client of the engine an instance was placed on (the first engine for instances the database does not know). */
  engineOf(instanceId: string): Promise<Docker>;
  /**
   * Ids of the instances the deployment holds: every process's attempts and authoring runs (from
   * the database) and this process's own sources (the warm pool), which the collector must keep.
   */
  knownInstanceIds(): Promise<ReadonlySet<string>>;
  /** Declares instances this process holds outside the database (the warm pool declares its own). */
  addKnownInstances(source: () => Iterable<string>): void;
  sweep(): Promise<void>;
  /** Wires again the nodes of this scope that restarted, on every engine that answers. */
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
    const engines = new EngineSet(config.engines);
    for (const e of config.engines) {
      await app.db.engine.upsert({
        where: { id: e.id },
        create: { id: e.id, url: e.url, capacity: e.capacity },
        // A retired engine listed again comes back as up; one that is down stays down until it answers.
        update: { url: e.url, capacity: e.capacity, updatedAt: new Date() },
      });
    }
    await app.db.engine.updateMany({ where: { id: { notIn: engines.ids }, status: { not: 'retired' } }, data: { status: 'retired', updatedAt: new Date() } });
    await app.db.engine.updateMany({ where: { id: { in: engines.ids }, status: 'retired' }, data: { status: 'up' } });
    const localSources: (() => Iterable<string>)[] = [];
    /** The engines that answer now (one that does not is the engine watch's business, not a collector failure). */
    const answering = async () => {
      const up = await Promise.all(engines.ids.map(async (id) => ((await pingEngine(engines.get(id))).up ? id : undefined)));
      return up.filter((id): id is string => id !== undefined);
    };
    const service: SandboxService = {
      engines,
      docker: engines.get(engines.ids[0]!),
      images: config.images,
      scope: config.scope,
      async engineOf(instanceId) {
        const id = await findInstanceEngine(app.db, instanceId);
        return engines.get(id && engines.has(id) ? id : engines.ids[0]!);
      },
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
        for (const id of await answering()) {
          const removed = await collectGarbage(engines.get(id), { scope: config.scope, knownInstanceIds: known });
          for (const r of removed) app.log.info({ engine: id, instance: r.id, reason: r.reason, containers: r.containers }, 'instance collected');
        }
        await service.repair();
      },
      async repair() {
        for (const id of await answering()) {
          for (const r of await repairInstances(engines.get(id), { scope: config.scope, ...config.images })) {
            if (r.error) app.log.error({ engine: id, instance: r.instanceId, node: r.node, reason: r.reason, error: r.error }, 'wiring a restarted node failed');
            else app.log.info({ engine: id, instance: r.instanceId, node: r.node, reason: r.reason }, 'restarted node wired again');
          }
        }
      },
    };
    app.decorate('sandbox', service);
    if (!collect) return;
    app.cluster.tasks.every('collect garbage', config.gcIntervalSeconds * 1000, () => service.sweep());

    // Each engine's start events of this scope's nodes: a restarted node is wired again within a
    // second, by the leader (one process wires; the others hear the event too and leave it).
    const streams = new Set<NodeJS.ReadableStream & { destroy(): void }>();
    let closing = false;
    let pending: NodeJS.Timeout | undefined;
    const repairSoon = () => {
      if (!app.cluster.coordination.leader) return;
      clearTimeout(pending);
      pending = setTimeout(() => void service.repair().catch((error) => app.log.error({ err: error }, 'repair failed')), 200);
      pending.unref();
    };
    const follow = async (id: string): Promise<void> => {
      try {
        const events = (await engines.get(id).getEvents({
          filters: { type: ['container'], event: ['start'], label: ['praxis.role=node', `praxis.scope=${config.scope}`] },
        })) as NodeJS.ReadableStream & { destroy(): void };
        streams.add(events);
        events.on('data', repairSoon);
        await new Promise<void>((resolve) => {
          events.on('end', resolve);
          events.on('error', () => resolve());
        });
        streams.delete(events);
      } catch (error) {
        app.log.warn({ engine: id, err: error }, 'following Docker events failed');
      }
      // The engine restarted or the stream broke: follow again (and repair what restarted meanwhile).
      if (!closing) setTimeout(() => void follow(id).then(repairSoon), 5000).unref();
    };
    app.addHook('onReady', async () => {
      for (const id of engines.ids) void follow(id);
    });
    app.addHook('onClose', async () => {
      closing = true;
      clearTimeout(pending);
      for (const s of streams) s.destroy();
    });
  },
  { name: 'sandbox', dependencies: ['db', 'cluster'] },
);
