// CSRF protection by signed double submit, bound to the session: GET /api/auth/csrf (and every
// sign-in or sign-out) sets a readable cookie holding `<random>.<hmac>`, where the HMAC covers the
// random part and a digest of the session cookie it was issued with; every state-changing request
// must echo it in the x-csrf-token header and come with that same session. Another site can
// neither read our cookie nor forge the signature, a token planted from another session is
// refused, and SameSite=Lax blocks the rest.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const CSRF_COOKIE = 'praxis_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/** What a token is bound to: the session cookie's digest, or "no session". */
const binding = (session: string | undefined) => (session ? createHash('sha256').update(session).digest('base64url') : '-');

const sign = (key: Buffer, nonce: string, session: string | undefined) => createHmac('sha256', key).update(`${nonce}.${binding(session)}`);

export function issueCsrfToken(key: Buffer, session: string | undefined): string {
  const nonce = randomBytes(18).toString('base64url');
  return `${nonce}.${sign(key, nonce, session).digest('base64url')}`;
}

export function isValidCsrf(key: Buffer, cookie: string | undefined, header: string | undefined, session: string | undefined): boolean {
  if (!cookie || !header || cookie.length > 200 || cookie.length !== header.length) return false;
  if (!timingSafeEqual(Buffer.from(cookie), Buffer.from(header))) return false;
  const [nonce, mac] = cookie.split('.');
  if (!nonce || !mac) return false;
  const expected = sign(key, nonce, session).digest();
  const given = Buffer.from(mac, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
