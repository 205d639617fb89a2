// Owns the database client: opens the database (external or embedded, migrations applied) before
// anything else starts and decorates `app.db` (and `app.databaseUrl`, for the connections that
// cannot be pooled: coordination and deployment locks); closes it last.
import fp from 'fastify-plugin';
import { openDatabase, type DbClient } from '@praxis/db';
import type { Config } from '../config';

declare module 'fastify' {
  interface FastifyInstance {
    db: DbClient;
    databaseUrl: string;
  }
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    const t0 = performance.now();
    const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    app.log.info(
      { embedded: database.embedded, migrationsApplied: database.migrationsApplied.map((m) => m.name), ms: Math.round(performance.now() - t0) },
      'database ready',
    );
    app.decorate('db', database.db);
    app.decorate('databaseUrl', database.url);
    app.addHook('onClose', async () => database.close());
  },
  { name: 'db' },
);
