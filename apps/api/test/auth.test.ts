// Accounts against a real PostgreSQL: sign up/in/out, the first-admin rule, cookies, CSRF bound
// to the session, the password policy, no account enumeration at sign-up, the last admin, the
// login rate limit, security headers, and problem+json errors for malformed or oversized input.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config';
import { Client, signedInClient, startTestApp, useTestApp } from './api-helpers';

const ctx = useTestApp('api-auth');

describe('accounts', () => {
  it('makes the first sign-up of an empty database admin, later ones learners', async () => {
    const first = new Client(ctx.app);
    const res = await first.post('/api/auth/sign-up', { email: 'Owner@Example.test', password: 'long enough password', name: 'Owner' });
    expect(res.statusCode).toBe(202);
    const signedIn = await first.post('/api/auth/sign-in', { email: 'owner@example.test', password: 'long enough password' });
    expect(signedIn.json().user).toMatchObject({ email: 'owner@example.test', role: 'admin' });
    const cookie = signedIn.cookies.find((c) => c.name === 'praxis_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const row = await ctx.app.db.user.findUniqueOrThrow({ where: { email: 'owner@example.test' } });
    expect(row.passwordHash).toMatch(/^\$argon2id\$/);

    const second = new Client(ctx.app);
    await second.post('/api/auth/sign-up', { email: 'learner@example.test', password: 'long enough password', name: 'L' });
    expect((await second.post('/api/auth/sign-in', { email: 'learner@example.test', password: 'long enough password' })).json().user.role).toBe('learner');
  });

  it('answers a sign-up the same whether or not the e-mail has an account, and changes nothing of an existing one', async () => {
    const fresh = await new Client(ctx.app).post('/api/auth/sign-up', { email: 'new-person@example.test', password: 'another fine passphrase', name: 'New' });
    const taken = await new Client(ctx.app).post('/api/auth/sign-up', { email: 'LEARNER@example.test', password: 'another fine passphrase', name: 'Impostor' });
    expect(taken.statusCode).toBe(fresh.statusCode);
    expect(taken.body).toBe(fresh.body);
    for (const r of [fresh, taken]) expect(r.cookies.map((c) => c.name)).not.toContain('praxis_session');
    // The existing account keeps its password and name; the new one can sign in.
    const owner = await ctx.app.db.user.findUniqueOrThrow({ where: { email: 'learner@example.test' } });
    expect(owner.name).toBe('L');
    expect((await new Client(ctx.app).post('/api/auth/sign-in', { email: 'learner@example.test', password: 'another fine passphrase' })).statusCode).toBe(401);
    expect((await new Client(ctx.app).post('/api/auth/sign-in', { email: 'learner@example.test', password: 'long enough password' })).statusCode).toBe(200);
    expect((await new Client(ctx.app).post('/api/auth/sign-in', { email: 'new-person@example.test', password: 'another fine passphrase' })).statusCode).toBe(200);
  });

  it('refuses passwords that are easy to guess, with the estimator\'s advice', async () => {
    for (const password of ['          ', '1234567890', 'password123', 'qwertyuiop', 'weakling@example.test']) {
      const res = await new Client(ctx.app).post('/api/auth/sign-up', { email: 'weakling@example.test', password, name: 'Weakling' });
      expect(res.statusCode, password).toBe(400);
      expect(res.json()).toMatchObject({ code: 'PASSWORD_WEAK', fields: [{ field: 'body.password' }] });
      expect(res.json().detail).toMatch(/^choose another password: it is too easy to guess/);
    }
    expect(await ctx.app.db.user.count({ where: { email: 'weakling@example.test' } })).toBe(0);
    expect(() => loadConfig({ PRAXIS_ADMIN_EMAIL: 'root@example.test', PRAXIS_ADMIN_PASSWORD: '1234567890' })).toThrow(/PRAXIS_ADMIN_PASSWORD: it is too easy to guess/);
  });

  it('signs in, knows who is signed in, and signs out', async () => {
    const c = new Client(ctx.app);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    const bad = await c.post('/api/auth/sign-in', { email: 'learner@example.test', password: 'wrong password!!' });
    expect(bad.statusCode).toBe(401);
    expect(bad.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(bad.json()).toMatchObject({ code: 'INVALID_CREDENTIALS', title: 'Unauthorized', type: '/problems/invalid-credentials' });
    expect((await c.post('/api/auth/sign-in', { email: 'learner@example.test', password: 'long enough password' })).statusCode).toBe(200);
    expect((await c.get('/api/auth/me')).json().user.email).toBe('learner@example.test');
    const stolen = c.cookies.get('praxis_session')!;
    expect((await c.post('/api/auth/sign-out')).statusCode).toBe(204);
    expect((await c.get('/api/auth/me')).statusCode).toBe(401);
    // The old cookie is dead on the server too, not only forgotten by the browser.
    const replay = await ctx.app.inject({ method: 'GET', url: '/api/auth/me', cookies: { praxis_session: stolen } });
    expect(replay.statusCode).toBe(401);
  });

  it('refuses state-changing requests without the CSRF token', async () => {
    const c = new Client(ctx.app);
    await c.post('/api/auth/sign-in', { email: 'learner@example.test', password: 'long enough password' });
    const session = c.cookies.get('praxis_session')!;
    // A token and cookie pair of another session (here: the attacker's own) is refused.
    const attacker = new Client(ctx.app);
    await attacker.post('/api/auth/sign-in', { email: 'new-person@example.test', password: 'another fine passphrase' });
    const planted = attacker.cookies.get('praxis_csrf')!;
    const foreign = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies: { praxis_session: session, praxis_csrf: planted }, headers: { 'x-csrf-token': planted } });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.json().code).toBe('CSRF_INVALID');
    // So is the token this browser had before it signed in; the one the sign-in set works.
    const anonymous = (await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf' })).json().csrfToken as string;
    expect((await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies: { praxis_session: session, praxis_csrf: anonymous }, headers: { 'x-csrf-token': anonymous } })).statusCode).toBe(403);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
    const noHeader = await ctx.app.inject({ method: 'POST', url: '/api/auth/sign-out', cookies: { praxis_session: session, praxis_csrf: c.cookies.get('praxis_csrf')! } });
    expect(noHeader.statusCode).toBe(403);
    expect(noHeader.json().code).toBe('CSRF_INVALID');
    const forged = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sign-out',
      cookies: { praxis_session: session, praxis_csrf: 'abc.def' },
      headers: { 'x-csrf-token': 'abc.def' },
    });
    expect(forged.statusCode).toBe(403);
    expect((await c.get('/api/auth/me')).statusCode).toBe(200);
  });

  it('answers malformed and oversized input with 4xx problem+json', async () => {
    const c = new Client(ctx.app);
    await c.get('/api/auth/csrf');
    const cases = [
      await c.request('POST', '/api/auth/sign-up', '{"email": ', { 'content-type': 'application/json' }),
      await c.post('/api/auth/sign-up', { email: 'not-an-email', password: 'short', name: '' }),
      await c.request('POST', '/api/auth/sign-up', 'x'.repeat(2 * 1024 * 1024), { 'content-type': 'application/json' }),
      await c.request('POST', '/api/auth/sign-up', 'email=a', { 'content-type': 'application/x-www-form-urlencoded' }),
      await c.get('/api/no-such-route'),
    ];
    expect(cases.map((r) => r.statusCode)).toEqual([400, 400, 413, 415, 404]);
    for (const r of cases) {
      expect(r.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(r.json()).toEqual(expect.objectContaining({ type: expect.any(String), title: expect.any(String), status: r.statusCode, code: expect.any(String), detail: expect.any(String) }));
    }
    expect(cases[1]!.json().detail).toMatch(/body\.email/);
  });

  it('rate-limits sign-in to 10 tries a minute per address and account', async () => {
    const csrf = (await ctx.app.inject({ method: 'GET', url: '/api/auth/csrf' })).json().csrfToken as string;
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) {
      const res = await ctx.app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress: '127.0.0.77', // an address no other test of this file signs in from
        cookies: { praxis_csrf: csrf },
        headers: { 'x-csrf-token': csrf },
        payload: { email: 'nobody@example.test', password: 'x' },
      });
      codes.push(res.statusCode);
      if (res.statusCode === 429) expect(res.json().code).toBe('RATE_LIMITED');
    }
    expect(codes.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(codes.slice(10)).toEqual([429, 429]);
    // Another account from the same address (a classroom behind one NAT) still signs in.
    const other = await ctx.app.inject({
      method: 'POST',
      url: '/api/auth/sign-in',
      remoteAddress: '127.0.0.77',
      cookies: { praxis_csrf: csrf },
      headers: { 'x-csrf-token': csrf },
      payload: { email: 'Somebody-Else@example.test', password: 'x' },
    });
    expect(other.statusCode).toBe(401);
  });

  it('behind a trusted proxy, limits each client by its forwarded address (and never trusts one without PRAXIS_TRUST_PROXY)', async () => {
    const signIn = async (app: typeof ctx.app, forwardedFor: string) => {
      const csrf = (await app.inject({ method: 'GET', url: '/api/auth/csrf' })).json().csrfToken as string;
      return app.inject({
        method: 'POST',
        url: '/api/auth/sign-in',
        remoteAddress: '127.0.0.78', // the proxy: every request arrives from it
        cookies: { praxis_csrf: csrf },
        headers: { 'x-csrf-token': csrf, 'x-forwarded-for': forwardedFor },
        payload: { email: 'nobody@example.test', password: 'x' },
      });
    };
    const proxied = await startTestApp('api-auth-proxy', { PRAXIS_TRUST_PROXY: '1' });
    try {
      for (let i = 0; i < 10; i++) expect((await signIn(proxied.app, '198.51.100.7')).statusCode).toBe(401);
      expect((await signIn(proxied.app, '198.51.100.7')).statusCode).toBe(429);
      // Another learner behind the same proxy is not locked out by the first one.
      expect((await signIn(proxied.app, '198.51.100.8')).statusCode).toBe(401);
    } finally {
      await proxied.close();
    }
    // Without the setting, a forged header does not buy a fresh limit: all count as the proxy.
    const codes: number[] = [];
    for (let i = 0; i < 11; i++) codes.push((await signIn(ctx.app, `198.51.100.${i + 20}`)).statusCode);
    expect(codes.at(-1)).toBe(429);
  });

  it('serves the OpenAPI document at /api/docs', async () => {
    const spec = await ctx.app.inject({ method: 'GET', url: '/api/docs/json' });
    expect(spec.statusCode).toBe(200);
    const signIn = spec.json().paths['/api/auth/sign-in'].post;
    expect(signIn.requestBody).toBeDefined();
    expect(Object.keys(signIn.responses)).toEqual(expect.arrayContaining(['200', '4XX']));
    // Every API route is in the document.
    const documented = Object.keys(spec.json().paths);
    const missing = ctx.app.routeAccess.filter((r) => r.url.startsWith('/api/') && r.access !== 'undeclared' && !documented.includes(r.url.replace(/:([A-Za-z]+)/g, '{$1}')));
    expect(missing).toEqual([]);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/docs' })).statusCode).toBeLessThan(400);
  });
});

describe('CSRF key without PRAXIS_SECRET', () => {
  it('survives a restart, so browsers keep their token', async () => {
    const other = await startTestApp('api-auth-csrf', { PRAXIS_SECRET: undefined });
    try {
      const c = new Client(other.app);
      await c.post('/api/auth/sign-up', { email: 'k@example.test', password: 'long enough password', name: 'K' });
      await c.post('/api/auth/sign-in', { email: 'k@example.test', password: 'long enough password' });
      await other.app.close();
      const again = new Client(await other.restart());
      again.cookies = c.cookies;
      expect((await again.post('/api/auth/sign-out')).statusCode).toBe(204);
    } finally {
      await other.close();
    }
  });
});

describe('configured admin', () => {
  it('creates the admin from the environment, and then the first sign-up is a learner', async () => {
    const other = await startTestApp('api-auth-admin', { PRAXIS_ADMIN_EMAIL: 'root@example.test', PRAXIS_ADMIN_PASSWORD: 'admin password 1' });
    try {
      const first = new Client(other.app);
      await first.post('/api/auth/sign-up', { email: 'x@example.test', password: 'long enough password', name: 'X' });
      expect((await first.post('/api/auth/sign-in', { email: 'x@example.test', password: 'long enough password' })).json().user.role).toBe('learner');
      const admin = new Client(other.app);
      const res = await admin.post('/api/auth/sign-in', { email: 'root@example.test', password: 'admin password 1' });
      expect(res.json().user.role).toBe('admin');
    } finally {
      await other.close();
    }
  });
});

describe('admins and headers', () => {
  it('never lets the last admin stop being one, by their own hand or in a race', async () => {
    const other = await startTestApp('api-auth-admins');
    try {
      const first = await signedInClient(other.app, 'admin', 'first');
      const self = await first.patch(`/api/users/${first.userId}`, { role: 'learner' });
      expect(self.statusCode).toBe(409);
      expect(self.json()).toMatchObject({ code: 'LAST_ADMIN' });
      expect(self.json().detail).toMatch(/is the only admin; make another account admin first/);
      const second = await signedInClient(other.app, 'admin', 'second');
      // Two admins demoting each other at once: one wins, one admin remains.
      const both = await Promise.all([first.patch(`/api/users/${second.userId}`, { role: 'instructor' }), second.patch(`/api/users/${first.userId}`, { role: 'instructor' })]);
      expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
      expect(await other.app.db.user.count({ where: { role: 'admin' } })).toBe(1);
    } finally {
      await other.close();
    }
  });

  it('sends security headers with a Content-Security-Policy on every answer', async () => {
    for (const url of ['/api/auth/csrf', '/healthz', '/api/no-such-route', '/api/docs/']) {
      const res = await ctx.app.inject({ method: 'GET', url });
      expect(res.headers['content-security-policy'], url).toMatch(/default-src 'self'.*script-src 'self'.*frame-ancestors 'none'/);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('same-origin');
      expect(res.headers['strict-transport-security']).toBeUndefined();
    }
  });
});
