// The terminal sockets of each sign-in session, so that signing out ends them: a terminal token
// names the session it was issued to (`sid`), every socket opened with it is listed here, and
// `end(sid)` closes them with 4401. The upgrade itself refuses a token whose session is gone
// (terminal.plugin.ts), so a reconnect after sign-out fails too.
import { CloseCode } from '@praxis/terminal-protocol';

type Close = (code: number, reason: string) => void;

export class TerminalLogins {
  private readonly bySession = new Map<string, Set<Close>>();

  /** Lists a socket under its session; returns its removal (call it when the socket closes). */
  add(sid: string, close: Close): () => void {
    let set = this.bySession.get(sid);
    if (!set) this.bySession.set(sid, (set = new Set()));
    set.add(close);
    return () => {
      set.delete(close);
      if (set.size === 0 && this.bySession.get(sid) === set) this.bySession.delete(sid);
    };
  }

  /** Closes every terminal socket of a session that signed out. */
  end(sid: string): number {
    const set = this.bySession.get(sid);
    this.bySession.delete(sid);
    for (const close of set ?? []) close(CloseCode.notAuthenticated, 'you signed out: sign in again to reopen the terminal');
    return set?.size ?? 0;
  }
}
