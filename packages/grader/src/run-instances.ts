// The instances one `lab test` run made (its lab's own and every fresh one), so a run stopped by
// its caller (an AbortSignal: Ctrl-C in `praxis lab test`) destroys them instead of leaving them
// until they expire. An instance still being made is waited for, then destroyed.
export class LabTestAbortedError extends Error {
  readonly code = 'LAB_TEST_ABORTED';
  constructor(
    /** The instances the run had made, now destroyed. */
    readonly removed: string[],
    /** Those whose removal failed, with the reason. */
    readonly failed: { instanceId: string; reason: string }[] = [],
  ) {
    super(`the lab test was stopped: ${removed.length} instance${removed.length === 1 ? '' : 's'} removed${failed.length ? `, ${failed.length} could not be (${failed.map((f) => `${f.instanceId}: ${f.reason}`).join('; ')})` : ''}`);
    this.name = 'LabTestAbortedError';
  }
}

export class RunInstances {
  private readonly live = new Map<string, Promise<unknown>>();

  constructor(private readonly destroy: (instanceId: string) => Promise<unknown>) {}

  /** An instance the run is making (`made` settles once it exists or could not be made). */
  add(instanceId: string, made: Promise<unknown> = Promise.resolve()): void {
    made.catch(() => undefined);
    this.live.set(instanceId, made);
  }

  /** An instance the run destroyed (or handed over) itself. */
  remove(instanceId: string): void {
    this.live.delete(instanceId);
  }

  /**
   * Destroys every instance still live: at once (so the scripts running in them end), then again
   * once those being made are made and the stopped `work` has ended (its scripts fail fast on
   * machines that are gone; `settleMs` at most), so nothing is left half-made.
   */
  async destroyAll(work: Promise<unknown> = Promise.resolve(), settleMs = 20_000): Promise<LabTestAbortedError> {
    const ids = [...this.live.keys()];
    await Promise.all(ids.map((id) => this.destroy(id).catch(() => undefined)));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.live.values(), work]),
      new Promise((resolve) => (timer = setTimeout(resolve, settleMs))),
    ]);
    clearTimeout(timer);
    const failed: { instanceId: string; reason: string }[] = [];
    const all = [...new Set([...ids, ...this.live.keys()])];
    await Promise.all(all.map((id) => this.destroy(id).catch((e: Error) => void failed.push({ instanceId: id, reason: e.message }))));
    for (const id of all) this.live.delete(id);
    return new LabTestAbortedError(all.filter((id) => !failed.some((f) => f.instanceId === id)), failed);
  }
}

/**
 * `work` unless `signal` aborts first: then every instance of `instances` is destroyed and the
 * promise rejects with LabTestAbortedError naming them (work still running finds its machines gone).
 */
export function abortRun<T>(work: Promise<T>, signal: AbortSignal, instances: RunInstances): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      void instances.destroyAll(work).then(reject, reject);
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        if (!aborted) resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        if (!aborted) reject(error);
      },
    );
  });
}
