// The server's table of attached shells, one per (instance, node, shell). A second tab or a reconnect
// finds the same attachment; when the last client leaves, it is kept for a grace period (a page
// reload or a network blip keeps its byte offsets) and then detached, so no exec outlives its
// users. The shell itself stays in its holder until the instance's time is up.
import type { Docker } from '@praxis/sandbox';
import { TerminalSession } from './terminal-session';
import type { RecordingSink } from './terminal-recorder';

export interface TerminalSessionsOptions {
  /** The engine an instance lives on. */
  engineOf: (instanceId: string) => Promise<Docker>;
  recordings?: RecordingSink;
  /** How long an attachment with no client is kept; 5 minutes by default. */
  idleGraceMs?: number;
}

/** A shell asked for on an instance whose terminals were ended (its time is up, or it was reset). */
export class TerminalEndedError extends Error {
  constructor(
    readonly closeCode: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'TerminalEndedError';
  }
}

/** How long an ended instance stays refused (it is destroyed long before). */
const ENDED_KEPT_MS = 30 * 60_000;

interface Entry {
  session: Promise<TerminalSession>;
  idleTimer?: NodeJS.Timeout;
  expiryTimer?: NodeJS.Timeout;
}

export class TerminalSessions {
  private readonly entries = new Map<string, Entry>();
  /** Instances whose terminals were ended here: no new shell is attached to them (see closeInstance). */
  private readonly endedInstances = new Map<string, { code: number; reason: string; at: number }>();

  constructor(private readonly options: TerminalSessionsOptions) {}

  private key(instanceId: string, node: string, shell: number): string {
    return `${instanceId}/${node}/${shell}`;
  }

  /** The live shell `shell` of a node, started on first use. Rejects with Docker's error if the node is gone. */
  async acquire(instanceId: string, node: string, shell = 1): Promise<TerminalSession> {
    const ended = this.endedInstances.get(instanceId);
    if (ended) throw new TerminalEndedError(ended.code, ended.reason);
    const key = this.key(instanceId, node, shell);
    const existing = this.entries.get(key);
    if (existing) {
      clearTimeout(existing.idleTimer);
      existing.idleTimer = undefined;
      const session = await existing.session.catch(() => undefined);
      if (session && !session.isEnded) return session;
      // Another caller may have replaced the ended shell while we waited.
      const now = this.entries.get(key);
      if (now && now !== existing) return this.acquire(instanceId, node, shell);
      // The instance may have been ended while we waited.
      const endedMeanwhile = this.endedInstances.get(instanceId);
      if (endedMeanwhile) throw new TerminalEndedError(endedMeanwhile.code, endedMeanwhile.reason);
    }
    const entry: Entry = {
      session: this.options.engineOf(instanceId).then((docker) => TerminalSession.open({
        docker,
        instanceId,
        node,
        shell,
        recordings: this.options.recordings,
        onEnded: (ended) => void this.forget(key, ended),
      })),
    };
    this.entries.set(key, entry);
    entry.session.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.session;
  }

  private async forget(key: string, ended: TerminalSession): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry) return;
    const current = await entry.session.catch(() => undefined);
    if (current !== ended || this.entries.get(key) !== entry) return;
    clearTimeout(entry.idleTimer);
    clearTimeout(entry.expiryTimer);
    this.entries.delete(key);
  }

  /** Called after a client detached: start the grace period if nobody is left. */
  release(instanceId: string, node: string, shell: number, session: TerminalSession): void {
    const entry = this.entries.get(this.key(instanceId, node, shell));
    if (!entry || session.clients.size > 0 || session.isEnded) return;
    clearTimeout(entry.idleTimer);
    entry.idleTimer = setTimeout(() => {
      if (session.clients.size === 0) void session.detach(1000, 'no client left');
    }, this.options.idleGraceMs ?? 5 * 60_000);
    entry.idleTimer.unref();
  }

  /** Ends the shell when the instance's time is up. */
  scheduleExpiry(instanceId: string, node: string, shell: number, session: TerminalSession, at: Date, code: number, reason: string): void {
    const entry = this.entries.get(this.key(instanceId, node, shell));
    if (!entry || entry.expiryTimer) return;
    const delay = Math.min(Math.max(0, at.getTime() - Date.now()), 2 ** 31 - 1);
    entry.expiryTimer = setTimeout(() => void session.close(code, reason), delay);
    entry.expiryTimer.unref();
  }

  /**
   * Ends every shell of an instance (time up, reset, engine down); for the attempts service.
   * Resolves once each shell this process had, or was opening, is hung up. `final` (time up,
   * reset): from the first moment no new one is opened here either, since the caller pauses or
   * removes the nodes next and no exec into a node may be starting then (on Docker 20.10 it would
   * never start, and hold the node's inspect for ever); a reconnect is closed with the same code.
   */
  async closeInstance(instanceId: string, code: number, reason: string, options: { final?: boolean } = {}): Promise<void> {
    if (options.final) {
      const now = Date.now();
      for (const [id, e] of this.endedInstances) if (e.at + ENDED_KEPT_MS <= now) this.endedInstances.delete(id);
      this.endedInstances.set(instanceId, { code, reason, at: now });
    }
    const prefix = `${instanceId}/`;
    const sessions = [...this.entries].filter(([k]) => k.startsWith(prefix)).map(([, e]) => e.session);
    await Promise.all(sessions.map(async (p) => (await p.catch(() => undefined))?.close(code, reason)));
  }

  /** Detaches every shell (server shutdown): the shells keep running for the next server. */
  async detachAll(code: number, reason: string): Promise<void> {
    const sessions = [...this.entries.values()].map((e) => e.session);
    await Promise.all(sessions.map(async (p) => (await p.catch(() => undefined))?.detach(code, reason)));
  }

  /** Live sessions (for tests and diagnostics). */
  get size(): number {
    return this.entries.size;
  }
}
