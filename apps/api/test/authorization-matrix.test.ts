// Walks every registered route with every role and with no session, and checks that the answer
// matches the route's declared access: 401 without a session, 403 for a role not listed, neither
// for a role that is (a 400/404 from placeholder ids is fine), and never a 5xx.
import { describe, expect, it } from 'vitest';
import type { Role } from '@praxis/db';
import { Client, signedInClient, useTestApp } from './api-helpers';

// Routes that authenticate with their own credential instead of the session, and why.
const SELF_AUTHENTICATED = new Map([['/api/terminal/:instanceId/:node', 'WebSocket checked by a signed terminal token']]);

const ctx = useTestApp('api-authz');

describe('authorization matrix', () => {
  it('every API route declares who may call it', () => {
    const undeclared = ctx.app.routeAccess.filter((r) => r.access === 'undeclared' && !SELF_AUTHENTICATED.has(r.url) && !r.url.startsWith('/api/dev/'));
    expect(undeclared).toEqual([]);
    expect(ctx.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.access !== 'undeclared').length).toBeGreaterThan(5);
  });

  it('answers every route, for every role and for no session, as declared', async () => {
    const roles: Role[] = ['learner', 'instructor', 'admin'];
    const clients: [Role | 'anonymous', Client][] = [['anonymous', new Client(ctx.app)]];
    for (const role of roles) clients.push([role, await signedInClient(ctx.app, role)]);
    const routes = ctx.app.routeAccess
      .filter((r) => !r.websocket && r.access !== 'undeclared')
      // Signing out would end the session the rest of the walk uses.
      .sort((a, b) => Number(a.url === '/api/auth/sign-out') - Number(b.url === '/api/auth/sign-out'));
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      const url = route.url.replace(/:[A-Za-z]+/g, '00000000-0000-4000-8000-000000000000').replace('*', 'x');
      for (const [who, client] of clients) {
        const res = await client.request(route.method as 'GET', url, route.method === 'GET' || route.method === 'DELETE' ? undefined : {});
        checked += 1;
        const status = res.statusCode;
        let expected: string;
        let ok: boolean;
        if (route.access === 'public') {
          expected = 'not 401/403';
          ok = status !== 401 && status !== 403;
        } else if (who === 'anonymous') {
          expected = '401';
          ok = status === 401;
        } else if (route.access === 'user' || route.access.includes(who)) {
          expected = 'not 401/403';
          ok = status !== 401 && status !== 403;
        } else {
          expected = '403';
          ok = status === 403;
        }
        if (status >= 500) ok = false;
        if (!ok) failures.push(`${route.method} ${route.url} as ${who}: got ${status}, expected ${expected} (${res.body.slice(0, 120)})`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(20);
  });

  it('answers malformed input on every route with a 4xx, never a 5xx', async () => {
    const admin = await signedInClient(ctx.app, 'admin');
    const bodies = ['[]', '"text"', 'null', '{"unterminated": ', JSON.stringify({ a: Array(50).fill({ b: [1, 'x', null] }) }), '{"answer": {"$ne": 1}, "role": "root", "path": "/etc"}'];
    const ids = ['x'.repeat(300), '%00', '..%2F..%2Fetc', '-1', '1e999'];
    const failures: string[] = [];
    const routes = ctx.app.routeAccess.filter((r) => !r.websocket && r.access !== 'undeclared' && r.url !== '/api/auth/sign-out');
    for (const route of routes) {
      for (const [i, id] of ids.entries()) {
        const url = route.url.replace(/:[A-Za-z]+/g, id);
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : bodies[i % bodies.length];
        const res = await admin.request(route.method as 'POST', url, body, body === undefined ? {} : { 'content-type': 'application/json' });
        if (res.statusCode >= 500) failures.push(`${route.method} ${url}: ${res.statusCode} ${res.body.slice(0, 160)}`);
        else if (res.statusCode >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${route.method} ${url}: ${res.statusCode} without problem+json`);
      }
    }
    expect(failures).toEqual([]);
  });
});
