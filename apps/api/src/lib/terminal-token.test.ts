import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signTerminalToken, verifyTerminalToken, type TerminalClaims } from './terminal-token';

const secret = randomBytes(32);
const claims: TerminalClaims = { sub: 'learner-1', instanceId: 'px0123456789', node: 'host-a', mode: 'write', exp: Math.floor(Date.now() / 1000) + 60 };

describe('terminal tokens', () => {
  it('verifies a token it signed and returns the claims', () => {
    expect(verifyTerminalToken(secret, signTerminalToken(secret, claims))).toEqual(claims);
  });

  it('refuses a token signed with another key', () => {
    const token = signTerminalToken(randomBytes(32), claims);
    expect(() => verifyTerminalToken(secret, token)).toThrow(expect.objectContaining({ code: 'TERMINAL_TOKEN_BAD_SIGNATURE' }));
  });

  it('refuses altered claims (read token turned into write)', () => {
    const token = signTerminalToken(secret, { ...claims, mode: 'read' });
    const [, signature] = token.split('.');
    const forged = `${Buffer.from(JSON.stringify({ ...claims, mode: 'write' })).toString('base64url')}.${signature}`;
    expect(() => verifyTerminalToken(secret, forged)).toThrow(expect.objectContaining({ code: 'TERMINAL_TOKEN_BAD_SIGNATURE' }));
  });

  it('refuses an expired, missing or malformed token', () => {
    const old = signTerminalToken(secret, { ...claims, exp: Math.floor(Date.now() / 1000) - 1 });
    expect(() => verifyTerminalToken(secret, old)).toThrow(expect.objectContaining({ code: 'TERMINAL_TOKEN_EXPIRED' }));
    expect(() => verifyTerminalToken(secret, undefined)).toThrow(expect.objectContaining({ code: 'TERMINAL_TOKEN_MISSING' }));
    expect(() => verifyTerminalToken(secret, 'abc')).toThrow(expect.objectContaining({ code: 'TERMINAL_TOKEN_MALFORMED' }));
  });
});
