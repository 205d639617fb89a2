// What the Docker engine under the sandbox can enforce, read once per client from `docker info`:
// root remapping (--userns-remap), a per-container disk limit (the btrfs storage driver's
// `--storage-opt size=`), and how containers are grouped into cgroups (driver and version), which
// decides where the nodes' shared CPU parent lives. See docs/sandbox-security.md.
import type Docker from 'dockerode';

export interface EngineFeatures {
  /** Container root is an unprivileged host uid (dockerd --userns-remap). */
  usernsRemap: boolean;
  /** Storage driver, e.g. `btrfs` or `overlay2`. */
  storageDriver: string;
  /** What the data root sits on, e.g. `btrfs`, `extfs`, `xfs`. */
  backingFilesystem: string;
  /** A node's writable layer can be limited (`StorageOpt.size`); the btrfs and zfs drivers do it. */
  diskLimits: boolean;
  /**
   * What a btrfs limit counts: `simple` quotas count only what the container writes; full
   * `qgroup`s count everything it references, its image too. From the engine label
   * `praxis.btrfs-quota` that infra/scripts/ensure-engine.sh sets; `qgroup` when absent.
   */
  diskQuotaCounts: 'writes' | 'image-and-writes';
  /** `cgroupfs` or `systemd`. */
  cgroupDriver: string;
  /** `1` or `2`. */
  cgroupVersion: string;
  cpus: number;
}

/** The subset of `docker info` read here. */
export interface EngineInfo {
  SecurityOptions?: string[];
  Driver?: string;
  DriverStatus?: [string, string][];
  CgroupDriver?: string;
  CgroupVersion?: string;
  NCPU?: number;
  Labels?: string[];
}

const cache = new WeakMap<Docker, Promise<EngineFeatures>>();

/** The engine's features, asked once per client (a failed probe is asked again next time). */
export function readEngineFeatures(docker: Docker): Promise<EngineFeatures> {
  let answer = cache.get(docker);
  if (!answer) {
    answer = docker.info().then((info: EngineInfo) => parseEngineFeatures(info));
    answer.catch(() => cache.delete(docker));
    cache.set(docker, answer);
  }
  return answer;
}

export function parseEngineFeatures(info: EngineInfo): EngineFeatures {
  const status = new Map(info.DriverStatus ?? []);
  const storageDriver = info.Driver ?? 'unknown';
  return {
    usernsRemap: isUsernsRemapped(info.SecurityOptions ?? []),
    storageDriver,
    backingFilesystem: status.get('Backing Filesystem') ?? (storageDriver === 'btrfs' ? 'btrfs' : 'unknown'),
    // overlay2 also limits on xfs mounted with pquota, which `docker info` cannot tell apart from
    // xfs without it (a create would then fail): only the drivers that always can are trusted.
    diskLimits: storageDriver === 'btrfs' || storageDriver === 'zfs',
    diskQuotaCounts: storageDriver === 'btrfs' && (info.Labels ?? []).includes('praxis.btrfs-quota=squota') ? 'writes' : 'image-and-writes',
    cgroupDriver: info.CgroupDriver ?? 'cgroupfs',
    cgroupVersion: info.CgroupVersion ?? '1',
    cpus: info.NCPU ?? 1,
  };
}

/** Parses the SecurityOptions entries of `docker info` ("name=seccomp,profile=default", "name=userns"). */
export function isUsernsRemapped(securityOptions: string[]): boolean {
  return securityOptions.some((o) => o.split(',').includes('name=userns'));
}
