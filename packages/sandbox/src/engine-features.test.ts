import { describe, expect, it } from 'vitest';
import { isUsernsRemapped, parseEngineFeatures } from './engine-features';

describe('isUsernsRemapped', () => {
  it('reads the userns entry of docker info SecurityOptions', () => {
    expect(isUsernsRemapped(['name=seccomp,profile=default', 'name=userns'])).toBe(true);
    expect(isUsernsRemapped(['name=seccomp,profile=default'])).toBe(false);
    expect(isUsernsRemapped(['name=apparmor', 'name=seccomp,profile=userns.json'])).toBe(false);
    expect(isUsernsRemapped([])).toBe(false);
  });
});

describe('parseEngineFeatures', () => {
  it('trusts a disk limit only from the drivers that always enforce one', () => {
    const btrfs = parseEngineFeatures({ Driver: 'btrfs', DriverStatus: [['Build Version', 'Btrfs v6.2']], NCPU: 2, CgroupDriver: 'cgroupfs', CgroupVersion: '1' });
    expect(btrfs).toMatchObject({ storageDriver: 'btrfs', backingFilesystem: 'btrfs', diskLimits: true, cpus: 2, cgroupDriver: 'cgroupfs' });
    const overlay = parseEngineFeatures({ Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'xfs']] });
    expect(overlay).toMatchObject({ storageDriver: 'overlay2', backingFilesystem: 'xfs', diskLimits: false });
    expect(parseEngineFeatures({ Driver: 'overlay2', DriverStatus: [['Backing Filesystem', 'extfs']] }).diskLimits).toBe(false);
  });
});
