// Accounts: CSRF token, sign up (rate-limited; the same answer whether or not the e-mail has an
// account), sign in (rate-limited), sign out, who am I. Every change of session also sets a new
// CSRF token bound to it.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Config } from '../config';
import { CSRF_COOKIE, issueCsrfToken } from '../lib/csrf';
import { email, text } from '../lib/input-schemas';
import { requireUser } from '../plugins/auth.plugin';
import { firstSignUpIsAdmin, setLocale } from '../services/accounts/account-views';
import { publicUserSchema, toPublicUser } from '../services/accounts/public-user';
import { createSession, deleteSession, SESSION_COOKIE, sessionIdOf } from '../services/accounts/sessions';
import { signIn } from '../services/accounts/sign-in';
import { SIGN_UP_ANSWER, signUp } from '../services/accounts/sign-up';
import { UI_LANGUAGES } from '../lib/reader-language';

const credentials = z.object({
  email: email(),
  password: text({ min: 10, max: 200 }),
});

const authRoutes: FastifyPluginAsyncZod<{ config: Config }> = async (app, { config }) => {
  const setSessionCookie = (reply: FastifyReply, token: string, expires: Date) =>
    reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: config.cookieSecure, path: '/', expires });
  /** A new CSRF token bound to `session` (undefined: no session), as a readable cookie. */
  const setCsrfCookie = (reply: FastifyReply, session: string | undefined) => {
    const csrfToken = issueCsrfToken(app.csrfKey, session);
    reply.setCookie(CSRF_COOKIE, csrfToken, { httpOnly: false, sameSite: 'lax', secure: config.cookieSecure, path: '/' });
    return csrfToken;
  };

  app.get('/api/auth/csrf', {
    config: { access: 'public' },
    schema: { tags: ['accounts'], summary: 'Get a CSRF token bound to this session (also set as a cookie); send it as x-csrf-token on every POST/PUT/PATCH/DELETE', response: { 200: z.object({ csrfToken: z.string() }) } },
  }, async (request, reply) => ({ csrfToken: setCsrfCookie(reply, request.cookies[SESSION_COOKIE]) }));

  app.post('/api/auth/sign-up', {
    config: { access: 'public', rateLimit: { max: 30, timeWindow: 3600_000 } },
    schema: {
      tags: ['accounts'],
      summary: `Create an account${config.admin ? '' : ' (the first one on an empty database becomes admin)'}; 30 an hour per address. The answer is the same whether or not the e-mail already had an account (it never says which): sign in next`,
      body: credentials.extend({ name: text({ min: 1, max: 100, trim: true }) }),
      response: { 202: z.object({ detail: z.string() }) },
    },
  }, async (request, reply) => {
    await signUp(app.db, request.body, { firstUserIsAdmin: !config.admin });
    return reply.status(202).send({ detail: SIGN_UP_ANSWER });
  });

  app.post('/api/auth/sign-in', {
    // Counted per address and account: guessing one account's password is held to 10 tries a
    // minute, while a classroom behind one NAT address (or the browser tests) signs in freely.
    // preHandler: the body is parsed by then, so the key can name the account.
    config: {
      access: 'public',
      rateLimit: {
        max: 10,
        timeWindow: 60_000,
        hook: 'preHandler',
        keyGenerator: (request: { ip: string; body?: unknown }) => `${request.ip}|${String((request.body as { email?: unknown } | undefined)?.email ?? '').trim().toLowerCase()}`,
      },
    },
    schema: { tags: ['accounts'], summary: 'Sign in (10 tries a minute per address and account); sets the session cookie and a CSRF token bound to it', body: credentials.extend({ password: text({ min: 1, max: 200 }) }), response: { 200: z.object({ user: publicUserSchema, csrfToken: z.string() }) } },
  }, async (request, reply) => {
    const user = await signIn(app.db, request.body);
    const session = await createSession(app.db, user.id);
    setSessionCookie(reply, session.token, session.expiresAt);
    return { user: toPublicUser(user), csrfToken: setCsrfCookie(reply, session.token) };
  });

  app.post('/api/auth/sign-out', {
    config: { access: 'user' },
    schema: { tags: ['accounts'], summary: 'End this session', response: { 204: z.null() } },
  }, async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE];
    await deleteSession(app.db, token);
    // The session's terminal tokens end with it: open terminals close, reconnects are refused.
    if (token && app.hasDecorator('terminalLogins')) app.terminalLogins.end(sessionIdOf(token));
    reply.clearCookie(SESSION_COOKIE, { path: '/' });
    setCsrfCookie(reply, undefined);
    return reply.status(204).send(null);
  });

  app.get('/api/auth/me', {
    config: { access: 'user' },
    schema: { tags: ['accounts'], summary: 'The signed-in user', response: { 200: z.object({ user: publicUserSchema }) } },
  }, async (request) => ({ user: toPublicUser(requireUser(request.user)) }));

  app.patch('/api/auth/me', {
    config: { access: 'user' },
    schema: {
      tags: ['accounts'],
      summary: 'Change my own preferences: the web app\'s language (null: the browser\'s)',
      body: z.object({ locale: z.enum(UI_LANGUAGES).nullable() }),
      response: { 200: z.object({ user: publicUserSchema }) },
    },
  }, async (request) => {
    return { user: await setLocale(app.db, requireUser(request.user).id, request.body.locale) };
  });

  app.get('/api/auth/setup', {
    config: { access: 'public' },
    schema: {
      tags: ['accounts'],
      summary: 'Whether the next sign-up creates the administrator (no account yet and no configured admin)',
      response: { 200: z.object({ firstSignUpIsAdmin: z.boolean() }) },
    },
  }, async () => ({ firstSignUpIsAdmin: await firstSignUpIsAdmin(app.db, Boolean(config.admin)) }));
};

export default authRoutes;
