import { describe, expect, it } from 'vitest';
import { dockerCall } from './docker-call';
import { SandboxError } from './instance.types';

describe('dockerCall', () => {
  it('gives the answer of a call that answers in time, and never aborts it afterwards', async () => {
    let signal: AbortSignal | undefined;
    const answer = await dockerCall('inspect of node "a"', async (s) => {
      signal = s;
      return 42;
    }, 50);
    expect(answer).toBe(42);
    await new Promise((r) => setTimeout(r, 80));
    expect(signal!.aborted).toBe(false);
  });

  it('turns a call the engine holds into DOCKER_TIMEOUT naming it, and aborts the request', async () => {
    let signal: AbortSignal | undefined;
    const error = await dockerCall('pause of node "a" of instance x1', (s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    }, 50).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SandboxError);
    expect(error).toMatchObject({ code: 'DOCKER_TIMEOUT', message: 'the Docker engine did not answer pause of node "a" of instance x1 within 50 ms' });
    expect(signal!.aborted).toBe(true);
  });

  it("passes the engine's own errors through (a 409 stays a 409)", async () => {
    const refused = Object.assign(new Error('container is paused'), { statusCode: 409 });
    await expect(dockerCall('exec create in a', () => Promise.reject(refused), 1000)).rejects.toBe(refused);
  });
});
