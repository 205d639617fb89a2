// Owns this process's place in its deployment (`app.cluster`): the coordination connection
// (worker id, leadership, LISTEN), the event bus every process hears, the leader's periodic
// tasks, start-up work done once per deployment, and the checks made before serving anything
// (alone, or one of several with the same secret: verify-deployment.ts).
import fp from 'fastify-plugin';
import { openCoordination, withDeploymentLock, type Coordination } from '@praxis/db';
import type { Config } from '../config';
import { EventBus } from '../services/cluster/event-bus';
import { LeaderTasks } from '../services/cluster/leader-tasks';
import { verifyDeployment } from '../services/cluster/verify-deployment';

export interface ClusterService {
  /** This process's id among the deployment's processes (stamped on the work it does). */
  workerId: number;
  coordination: Coordination;
  bus: EventBus;
  /** Periodic work only the leader does. */
  tasks: LeaderTasks;
  /** Runs start-up work one process at a time (the later ones find it done). */
  once<T>(name: string, work: () => Promise<T>): Promise<T>;
}

declare module 'fastify' {
  interface FastifyInstance {
    cluster: ClusterService;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const coordination = await openCoordination(app.databaseUrl, { log: app.log });
    try {
      await withDeploymentLock(app.databaseUrl, 'verify-deployment', () => verifyDeployment(app.db, coordination, { cluster: config.cluster, secret: config.secret }));
    } catch (error) {
      await coordination.close();
      throw error;
    }
    const bus = new EventBus({
      coordination,
      notify: (channel, payload) => app.db.$executeRaw`SELECT pg_notify(${channel}, ${payload})`,
      log: app.log,
    });
    const tasks = new LeaderTasks(coordination, app.log);
    app.decorate('cluster', {
      workerId: coordination.workerId,
      coordination,
      bus,
      tasks,
      once: (name, work) => withDeploymentLock(app.databaseUrl, name, work),
    } satisfies ClusterService);
    app.log.info({ workerId: coordination.workerId, cluster: config.cluster, leader: coordination.leader }, 'joined the deployment');
    app.addHook('onReady', async () => tasks.start());
    app.addHook('onClose', async () => {
      await tasks.stop();
      await bus.flush();
      // Releases this process's locks at once: another process leads without waiting.
      await coordination.close();
    });
  },
  { name: 'cluster', dependencies: ['db'] },
);
