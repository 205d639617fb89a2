// Owns the kernel watchdog (services/watchdog/kernel-watchdog.ts) and the demotion of CPU hogs
// (services/watchdog/cpu-hogs.ts), both on the same interval: started when the app is ready,
// stopped on close. An offending instance of an attempt ends that attempt as "stopped" (frozen,
// its terminal closed with the reason, graded as it was); any other instance of this deployment
// (an authoring-test run) is destroyed.
import fp from 'fastify-plugin';
import { destroyInstance } from '@praxis/sandbox';
import type { Config } from '../config';
import { KernelWatchdog } from '../services/watchdog/kernel-watchdog';
import { CpuHogs } from '../services/watchdog/cpu-hogs';

declare module 'fastify' {
  interface FastifyInstance {
    watchdog?: KernelWatchdog;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    if (config.watchdogIntervalSeconds === 0) return;
    const watchdog = new KernelWatchdog({
      docker: app.sandbox.docker,
      scope: config.scope,
      intervalMs: config.watchdogIntervalSeconds * 1000,
      log: app.log,
      stop: async (offence) => {
        const attemptId = await app.attempts.runner.attemptOfInstance(offence.instanceId);
        // Not awaited: grading takes seconds, and the freeze that ends the flood comes first.
        if (attemptId) void app.attempts.runner.finish(attemptId, 'stopped', offence.reason).catch((err) => app.log.error({ err, attempt: attemptId }, 'stopping the attempt failed'));
        else await destroyInstance(app.sandbox.docker, offence.instanceId);
      },
    });
    app.decorate('watchdog', watchdog);
    const hogs = new CpuHogs({ docker: app.sandbox.docker, scope: config.scope, log: app.log });
    let timer: NodeJS.Timeout | undefined;
    let round: Promise<unknown> | undefined;
    app.addHook('onReady', async () => {
      watchdog.start();
      timer = setInterval(() => {
        round ??= hogs
          .round()
          .catch((err) => app.log.error({ err }, 'CPU-hog round failed'))
          .finally(() => (round = undefined));
      }, config.watchdogIntervalSeconds * 1000);
      timer.unref();
    });
    app.addHook('onClose', async () => {
      clearInterval(timer);
      await round;
      await watchdog.stop();
    });
  },
  { name: 'watchdog', dependencies: ['sandbox', 'attempts'] },
);
