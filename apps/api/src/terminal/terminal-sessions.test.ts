import { describe, expect, it } from 'vitest';
import type { Docker } from '@praxis/sandbox';
import { TerminalEndedError, TerminalSessions } from './terminal-sessions';

/** Sessions whose engine lookup records each shell asked of Docker (and fails it: no engine here). */
function sessions() {
  const asked: string[] = [];
  const terminals = new TerminalSessions({
    engineOf: async (instanceId) => {
      asked.push(instanceId);
      throw Object.assign(new Error('no engine in a unit test'), { statusCode: 404 });
    },
  });
  return { terminals, asked };
}

describe('TerminalSessions.closeInstance', () => {
  it('refuses every later shell of an instance ended for good (time up, reset), with its code and reason, before touching Docker', async () => {
    const { terminals, asked } = sessions();
    await terminals.closeInstance('i1', 4408, 'submitted: your machines are frozen and being graded', { final: true });
    const error = await terminals.acquire('i1', 'solo').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TerminalEndedError);
    expect(error).toMatchObject({ closeCode: 4408, reason: 'submitted: your machines are frozen and being graded' });
    expect(asked).toEqual([]);
    // Other instances are not affected.
    await expect(terminals.acquire('i2', 'solo')).rejects.toMatchObject({ statusCode: 404 });
    expect(asked).toEqual(['i2']);
  });

  it('lets a shell be opened again after a close that is not final (an engine that stopped answering may come back)', async () => {
    const { terminals, asked } = sessions();
    await terminals.closeInstance('i1', 4503, 'the host of this machine is not answering; reconnecting');
    await expect(terminals.acquire('i1', 'solo')).rejects.toMatchObject({ statusCode: 404 });
    expect(asked).toEqual(['i1']);
  });
});
