// CSRF protection by signed double submit: GET /api/auth/csrf sets a readable cookie holding
// `<random>.<hmac>`; every state-changing request must echo it in the x-csrf-token header. Another
// site can neither read our cookie nor forge the signature, and SameSite=Lax blocks the rest.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'praxis_csrf';
export const CSRF_HEADER = 'x-csrf-token';

export function issueCsrfToken(key: Buffer): string {
  const nonce = randomBytes(18).toString('base64url');
  return `${nonce}.${createHmac('sha256', key).update(nonce).digest('base64url')}`;
}

export function isValidCsrf(key: Buffer, cookie: string | undefined, header: string | undefined): boolean {
  if (!cookie || !header || cookie.length > 200 || cookie.length !== header.length) return false;
  if (!timingSafeEqual(Buffer.from(cookie), Buffer.from(header))) return false;
  const [nonce, mac] = cookie.split('.');
  if (!nonce || !mac) return false;
  const expected = createHmac('sha256', key).update(nonce).digest();
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
