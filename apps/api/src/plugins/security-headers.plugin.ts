// Security headers on every answer (@fastify/helmet): a Content-Security-Policy the built web app
// runs under (scripts, styles, images and connections from this origin only; inline styles
// allowed because Svelte's style attributes and xterm.js's renderer set them; no framing, no
// plugins), X-Frame-Options, nosniff, a strict referrer policy, and HSTS only behind HTTPS
// (PRAXIS_COOKIE_SECURE=1), where upgrading requests is right too.
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import type { Config } from '../config';

export const CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  // 'self' covers the terminal's same-origin WebSocket (ws: and wss:) in current browsers.
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'none'"],
};

export default fp<{ config: Config }>(
  async (app, { config }) => {
    await app.register(helmet, {
      global: true,
      contentSecurityPolicy: {
        useDefaults: false,
        directives: { ...CONTENT_SECURITY_POLICY, ...(config.cookieSecure ? { upgradeInsecureRequests: [] } : {}) },
      },
      strictTransportSecurity: config.cookieSecure ? { maxAge: 15_552_000, includeSubDomains: false } : false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'same-origin' },
    });
  },
  { name: 'security-headers' },
);
