// Terminal tokens: the seam between "who is this" (sessions) and the terminal socket.
// An HMAC-SHA256 signed, short-lived claim {sub, instanceId, node, mode, exp}, checked before the
// WebSocket upgrade. Format: base64url(JSON claims) "." base64url(HMAC of the first part).
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { INSTANCE_ID_PATTERN } from '@praxis/sandbox';

export const terminalClaimsSchema = z.strictObject({
  /** Who holds the token (user id once accounts exist). */
  sub: z.string().min(1).max(200),
  instanceId: z.string().regex(INSTANCE_ID_PATTERN),
  node: z.string().regex(/^[a-z][a-z0-9-]{0,30}$/),
  /** write: the attempt's owner types; read: an instructor watches. */
  mode: z.enum(['write', 'read']),
  /** Expiry, seconds since the epoch. */
  exp: z.number().int().positive(),
  /**
   * The sign-in session the token was issued to (its stored id): the token ends with it, at the
   * upgrade and on sign-out. Absent only on dev and test tokens, which no session issued.
   */
  sid: z.string().regex(/^[0-9a-f]{64}$/).optional(),
});

export type TerminalClaims = z.infer<typeof terminalClaimsSchema>;

export class TerminalTokenError extends Error {
  constructor(
    readonly code: 'TERMINAL_TOKEN_MISSING' | 'TERMINAL_TOKEN_MALFORMED' | 'TERMINAL_TOKEN_BAD_SIGNATURE' | 'TERMINAL_TOKEN_EXPIRED',
    message: string,
  ) {
    super(message);
    this.name = 'TerminalTokenError';
  }
}

function sign(secret: Buffer, body: string): Buffer {
  return createHmac('sha256', secret).update(body).digest();
}

export function signTerminalToken(secret: Buffer, claims: TerminalClaims): string {
  const body = Buffer.from(JSON.stringify(terminalClaimsSchema.parse(claims))).toString('base64url');
  return `${body}.${sign(secret, body).toString('base64url')}`;
}

/** Verifies signature and expiry; does not decide what the holder may reach (the route does). */
export function verifyTerminalToken(secret: Buffer, token: string | undefined, now = Date.now()): TerminalClaims {
  if (!token) throw new TerminalTokenError('TERMINAL_TOKEN_MISSING', 'the terminal request carries no token (subprotocol "bearer.<token>" or query parameter "token")');
  const parts = token.split('.');
  if (parts.length !== 2 || !parts[0] || !parts[1]) {
    throw new TerminalTokenError('TERMINAL_TOKEN_MALFORMED', 'the terminal token is not of the form <claims>.<signature>');
  }
  const [body, signature] = parts as [string, string];
  const expected = sign(secret, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new TerminalTokenError('TERMINAL_TOKEN_BAD_SIGNATURE', 'the terminal token signature does not match (wrong key or altered claims)');
  }
  let claims: TerminalClaims;
  try {
    claims = terminalClaimsSchema.parse(JSON.parse(Buffer.from(body, 'base64url').toString('utf8')));
  } catch {
    throw new TerminalTokenError('TERMINAL_TOKEN_MALFORMED', 'the terminal token claims are not valid JSON of the expected shape');
  }
  if (claims.exp * 1000 <= now) {
    throw new TerminalTokenError('TERMINAL_TOKEN_EXPIRED', `the terminal token expired at ${new Date(claims.exp * 1000).toISOString()}`);
  }
  return claims;
}
