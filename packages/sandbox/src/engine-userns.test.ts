import { describe, expect, it } from 'vitest';
import { isUsernsRemapped } from './engine-userns';

describe('isUsernsRemapped', () => {
  it('reads the userns entry of docker info SecurityOptions', () => {
    expect(isUsernsRemapped(['name=seccomp,profile=default', 'name=userns'])).toBe(true);
    expect(isUsernsRemapped(['name=seccomp,profile=default'])).toBe(false);
    expect(isUsernsRemapped(['name=apparmor', 'name=seccomp,profile=userns.json'])).toBe(false);
    expect(isUsernsRemapped([])).toBe(false);
  });
});
