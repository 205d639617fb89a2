// Serves the built web app (apps/web/dist) from the API, so one process answers the browser
// and its WebSockets. Skipped when the web app has not been built. Its files are public: the
// auth plugin does no session lookup for them.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import fastifyStatic from '@fastify/static';
import type { Config } from '../config';

export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

export default fp<{ config: Config; root?: string }>(
  async (app, { root = DEFAULT_WEB_DIR }) => {
    if (!existsSync(root)) {
      app.log.info({ root }, 'web app not built; not serving it');
      return;
    }
    await app.register(fastifyStatic, { root, index: ['index.html'], extensions: ['html'] });
  },
  { name: 'web-static' },
);
