// A bound on one Docker API call (a request and its answer, never a stream) on the paths a person
// waits for: freezing, grading, removing an instance. An engine can hold a call without end: Docker
// 20.10 keeps a container's exec list locked while an exec into it starts, and an exec whose first
// process lands in a cgroup that was frozen meanwhile never starts, so every later inspect of that
// container waits for ever. The bound turns such a wait into an error that names the call and
// the container; the engine's own work is not cancelled (it may still finish later).
import { SandboxError } from './instance.types';

/** What a single Docker request may take before it is an error (an answer normally takes milliseconds; seconds under load). */
export const DOCKER_CALL_TIMEOUT_MS = 30_000;

/**
 * Runs `call` with an AbortSignal that fires after `timeoutMs`; a call still unanswered then
 * rejects with SandboxError DOCKER_TIMEOUT: "the Docker engine did not answer <what> within N s".
 * The signal is never fired once the call has answered (a hijacked exec stream lives on).
 */
export async function dockerCall<T>(what: string, call: (abortSignal: AbortSignal) => Promise<T>, timeoutMs = DOCKER_CALL_TIMEOUT_MS): Promise<T> {
  const controller = new AbortController();
  const limit = timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`;
  let timer: NodeJS.Timeout | undefined;
  // Rejects on time even if the client library ignored the signal.
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SandboxError('DOCKER_TIMEOUT', `the Docker engine did not answer ${what} within ${limit}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([call(controller.signal), late]);
  } catch (error) {
    if (controller.signal.aborted && !(error instanceof SandboxError)) {
      throw new SandboxError('DOCKER_TIMEOUT', `the Docker engine did not answer ${what} within ${limit}`);
    }
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
