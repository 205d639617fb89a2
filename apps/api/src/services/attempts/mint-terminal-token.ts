// The bridge from sessions to the terminal socket: the attempt's learner gets a write token for
// a node of their running attempt, staff a read-only one to watch. Short-lived: it is only
// checked at the WebSocket upgrade, and a reconnect asks for a fresh one.
import type { User } from '@praxis/db';
import { ApiError } from '../../lib/api-error';
import { signTerminalToken } from '../../terminal/terminal-token';
import { labNodes, type LoadedAttempt } from './attempt-views';

export const TERMINAL_TOKEN_SECONDS = 120;

export function mintTerminalToken(secret: Buffer, a: LoadedAttempt, user: User, node: string, now = Date.now()) {
  if (a.status !== 'active' || !a.instanceId) throw new ApiError(409, 'ATTEMPT_NOT_ACTIVE', `the attempt is ${a.status}; its machines are only reachable while it is active`);
  if (a.deadlineAt && a.deadlineAt.getTime() <= now) throw new ApiError(409, 'ATTEMPT_TIME_UP', 'time is up: the machines are no longer reachable');
  const nodes = labNodes(a.bankVersion.content, a.test.lab);
  if (!nodes.includes(node)) throw new ApiError(404, 'NODE_NOT_FOUND', `the lab has no node "${node}" (nodes: ${nodes.join(', ')})`);
  const mode: 'write' | 'read' = a.userId === user.id ? 'write' : 'read';
  const exp = Math.floor(now / 1000) + TERMINAL_TOKEN_SECONDS;
  const token = signTerminalToken(secret, { sub: user.id, instanceId: a.instanceId, node, mode, exp });
  return { token, mode, expiresAt: new Date(exp * 1000), url: `/api/terminal/${a.instanceId}/${node}?token=${encodeURIComponent(token)}` };
}
