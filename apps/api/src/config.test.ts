import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig in a deployment of several processes (PRAXIS_CLUSTER=1)', () => {
  it('refuses to start without the shared secret or an external database, naming each', () => {
    expect(() => loadConfig({ PRAXIS_CLUSTER: '1' })).toThrow(ConfigError);
    try {
      loadConfig({ PRAXIS_CLUSTER: '1' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PRAXIS_SECRET: required with PRAXIS_CLUSTER=1/);
      expect((error as Error).message).toMatch(/DATABASE_URL: required with PRAXIS_CLUSTER=1/);
    }
    expect(() => loadConfig({ PRAXIS_CLUSTER: '1', DATABASE_URL: 'postgresql://db/praxis' })).toThrow(/PRAXIS_SECRET/);
  });

  it('starts with both, and derives the token keys from the secret alone (every process signs alike)', () => {
    const env = { PRAXIS_CLUSTER: '1', DATABASE_URL: 'postgresql://db/praxis', PRAXIS_SECRET: 's'.repeat(40) };
    const one = loadConfig(env);
    const two = loadConfig(env);
    expect(one.cluster).toBe(true);
    expect(one.terminalSecret.equals(two.terminalSecret)).toBe(true);
  });

  it('is a single process by default', () => {
    expect(loadConfig({}).cluster).toBe(false);
  });
});

describe('PRAXIS_PROVISION_CONCURRENCY', () => {
  it('defaults to the host\'s cores, takes a number from 1 to 64, and names itself when wrong', async () => {
    const { availableParallelism } = await import('node:os');
    expect(loadConfig({}).provisionConcurrency).toBe(availableParallelism());
    expect(loadConfig({ PRAXIS_PROVISION_CONCURRENCY: '3' }).provisionConcurrency).toBe(3);
    expect(() => loadConfig({ PRAXIS_PROVISION_CONCURRENCY: '0' })).toThrow(/PRAXIS_PROVISION_CONCURRENCY/);
  });
});

describe('PRAXIS_LAB_IMAGE_GRACE', () => {
  it('keeps an unused lab image an hour by default, takes seconds (at least 60) or off, and names itself when wrong', () => {
    expect(loadConfig({}).labImageGraceSeconds).toBe(3600);
    expect(loadConfig({ PRAXIS_LAB_IMAGE_GRACE: '600' }).labImageGraceSeconds).toBe(600);
    expect(loadConfig({ PRAXIS_LAB_IMAGE_GRACE: 'off' }).labImageGraceSeconds).toBeNull();
    expect(() => loadConfig({ PRAXIS_LAB_IMAGE_GRACE: '5' })).toThrow(/PRAXIS_LAB_IMAGE_GRACE/);
    expect(() => loadConfig({ PRAXIS_LAB_IMAGE_GRACE: 'never' })).toThrow(/PRAXIS_LAB_IMAGE_GRACE/);
  });
});
