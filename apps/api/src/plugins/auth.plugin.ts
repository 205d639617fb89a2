// Owns who is calling: the session cookie, the CSRF check (bound to the session) and the access
// rule every route declares (`config.access`), all enforced in one onRequest hook before parsing
// or validation, so an unauthorised caller learns nothing from a 400. Public routes and static
// files never look the session up (no database work for them). Rate limits are counted in the
// database, so they hold across API processes. Also keeps the table of routes and their access
// for the authorization-matrix test and the docs.
import { createHmac, randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import rateLimit from '@fastify/rate-limit';
import type { User } from '@praxis/db';
import type { Config } from '../config';
import type { Access } from '../lib/access';
import { ApiError } from '../lib/api-error';
import { CSRF_COOKIE, CSRF_HEADER, isValidCsrf } from '../lib/csrf';
import { findSessionUser, SESSION_COOKIE } from '../services/accounts/sessions';
import { ensureAdmin } from '../services/accounts/ensure-admin';
import { postgresRateLimitStore } from '../services/accounts/rate-limit-store';

export interface RouteAccess {
  method: string;
  url: string;
  /** 'undeclared': a route that checks its own credentials (the terminal's token) and is left alone. */
  access: Access | 'undeclared';
  websocket: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeAccess: RouteAccess[];
    csrfKey: Buffer;
  }
  interface FastifyRequest {
    user: User | null;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function loadOrCreateKey(file: string): Promise<Buffer> {
  const existing = await readFile(file).catch(() => undefined);
  if (existing?.length === 32) return existing;
  const key = randomBytes(32);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, key, { mode: 0o600 });
  return key;
}

export function requireUser(user: User | null): User {
  if (!user) throw new ApiError(401, 'AUTH_REQUIRED', 'sign in first: this request needs a session');
  return user;
}

export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(cookie);
    await app.register(rateLimit, {
      global: false,
      // Counted in the database: a limit holds across every API process of the deployment.
      store: postgresRateLimitStore(app.db),
      errorResponseBuilder: (_req, ctx) =>
        new ApiError(429, 'RATE_LIMITED', `too many attempts; try again in ${Math.ceil(ctx.ttl / 1000)} s`),
    });
    // Without PRAXIS_SECRET the key is kept in the data folder, so a restart does not invalidate
    // the tokens browsers hold.
    app.decorate('csrfKey', config.secret ? createHmac('sha256', config.secret).update('praxis csrf v1').digest() : await loadOrCreateKey(path.join(config.dataDir, 'csrf.key')));
    app.decorateRequest('user', null);

    const routes: RouteAccess[] = [];
    app.decorate('routeAccess', routes);
    app.addHook('onRoute', (route) => {
      const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter((m) => m !== 'HEAD');
      // Documentation and static files are public; other API routes declare, and the
      // authorization-matrix test fails on any undeclared one it does not know the reason for.
      const declared = route.config?.access;
      const access = declared ?? (route.url.startsWith('/api/') && !route.url.startsWith('/api/docs') ? 'undeclared' : 'public');
      for (const method of methods) routes.push({ method, url: route.url, access, websocket: Boolean(route.websocket) });
    });

    app.addHook('onRequest', async (request) => {
      const access = request.routeOptions.config?.access;
      if (!access) return;
      if (access !== 'public') {
        request.user = await findSessionUser(app.db, request.cookies[SESSION_COOKIE]);
        const user = requireUser(request.user);
        if (access !== 'user' && !access.includes(user.role)) {
          throw new ApiError(403, 'FORBIDDEN', `this needs the role ${access.join(' or ')}; you are ${user.role}`);
        }
      }
      if (STATE_CHANGING.has(request.method) && request.routeOptions.url) {
        const header = request.headers[CSRF_HEADER];
        if (!isValidCsrf(app.csrfKey, request.cookies[CSRF_COOKIE], typeof header === 'string' ? header : undefined, request.cookies[SESSION_COOKIE])) {
          throw new ApiError(403, 'CSRF_INVALID', `send the token from GET /api/auth/csrf (fetched with this session) in the ${CSRF_HEADER} header, and keep its cookie`);
        }
      }
    });

    // Expired sessions are refused when seen; the leader removes the ones never seen again, and
    // the rate-limit windows that have ended.
    app.cluster.tasks.every('purge expired sessions', 3600_000, async () => {
      await app.db.session.deleteMany({ where: { expiresAt: { lt: new Date() } } });
      await app.db.rateLimit.deleteMany({ where: { resetAt: { lt: new Date() } } });
    });

    if (config.admin) {
      const admin = config.admin;
      app.addHook('onReady', async () => {
        // Every process asks; the first creates or promotes, the others find it present.
        const outcome = await app.cluster.once('configured-admin', () => ensureAdmin(app.db, admin));
        app.log.info({ email: admin.email, outcome }, 'configured admin');
      });
    }
  },
  { name: 'auth', dependencies: ['db', 'cluster'] },
);
