import { describe, expect, it } from 'vitest';
import { isUsernsRemapped, parseEngineFeatures } from './engine-features';
import { nodeDiskLimit } from './node-spec';

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

  it('reads from the engine label whether btrfs counts the image in a limit', () => {
    expect(parseEngineFeatures({ Driver: 'btrfs', Labels: ['praxis.btrfs-quota=squota'] }).diskQuotaCounts).toBe('writes');
    expect(parseEngineFeatures({ Driver: 'btrfs', Labels: ['praxis.btrfs-quota=qgroup'] }).diskQuotaCounts).toBe('image-and-writes');
    expect(parseEngineFeatures({ Driver: 'btrfs' }).diskQuotaCounts).toBe('image-and-writes');
  });
});

describe('nodeDiskLimit', () => {
  it("adds the image to the node's space only where the quota counts the image", () => {
    expect(nodeDiskLimit(433 * 1024 * 1024 + 1, 1024, 'image-and-writes')).toBe('1458M');
    expect(nodeDiskLimit(433 * 1024 * 1024, 1024, 'writes')).toBe('1024M');
  });
});
