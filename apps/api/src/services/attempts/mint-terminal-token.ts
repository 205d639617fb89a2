// The bridge from sessions to the terminal socket: the attempt's learner gets a write token for
// a node of their running attempt, staff a read-only one to watch. Short-lived: it is only
// checked at the WebSocket upgrade, and a reconnect asks for a fresh one.
import type { User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { signTerminalToken } from '../../lib/terminal-token';
import { attemptLabs, type LoadedAttempt } from './attempt-views';

export const TERMINAL_TOKEN_SECONDS = 120;

export function mintTerminalToken(
  secret: Buffer,
  a: LoadedAttempt,
  user: User,
  target: { node: string; lab?: string },
  now = Date.now(),
  /** The caller's sign-in session: the token dies with it (sign-out closes its sockets). */
  sessionId?: string,
) {
  if (a.status !== 'active') throw new ApiError(409, 'ATTEMPT_NOT_ACTIVE', `the attempt is ${a.status}; its machines are only reachable while it is active`);
  if (a.deadlineAt && a.deadlineAt.getTime() <= now) throw new ApiError(409, 'ATTEMPT_TIME_UP', 'time is up: the machines are no longer reachable');
  const labs = attemptLabs(a);
  const lab = target.lab ? labs.find((l) => l.lab === target.lab) : labs[0];
  if (!lab?.instanceId) throw new ApiError(404, 'LAB_NOT_FOUND', `the attempt has no lab "${target.lab}" (labs: ${labs.map((l) => l.lab).join(', ')})`);
  if (!lab.nodes.includes(target.node)) throw new ApiError(404, 'NODE_NOT_FOUND', `lab "${lab.lab}" has no node "${target.node}" (nodes: ${lab.nodes.join(', ')})`);
  const mode: 'write' | 'read' = a.userId === user.id ? 'write' : 'read';
  const exp = Math.floor(now / 1000) + TERMINAL_TOKEN_SECONDS;
  const token = signTerminalToken(secret, { sub: user.id, instanceId: lab.instanceId, node: target.node, mode, exp, ...(sessionId ? { sid: sessionId } : {}) });
  return { token, mode, lab: lab.lab, expiresAt: new Date(exp * 1000), url: `/api/terminal/${lab.instanceId}/${target.node}?token=${encodeURIComponent(token)}` };
}
