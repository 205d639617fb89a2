// Where a node's root filesystem is on the engine's host, for a read-only bind into its grader
// (the graders of cluster nodes read node files that way rather than through the node's pid
// namespace). overlay2 reports it (GraphDriver.Data.MergedDir); the btrfs driver reports nothing,
// so the path is built from the engine's data root and the subvolume the node's root is mounted
// from, which the fabric reads from the node's first mount of "/" in its own procfs (a learner
// can add mounts, never change that first one).
import type Docker from 'dockerode';
import { execInRunningFabric } from './fabric';

const SUBVOLUME = /(?:^|,)subvol=(\/[^,]*\/btrfs\/subvolumes\/([0-9a-f]{64}))(?:,|$)/;

/** The host path of a node container's root filesystem, or undefined when it cannot be told. */
export async function nodeRootOnHost(docker: Docker, node: Docker.ContainerInspectInfo): Promise<string | undefined> {
  const merged = (node.GraphDriver?.Data as Record<string, string> | undefined)?.MergedDir;
  if (merged) return merged;
  if (node.GraphDriver?.Name !== 'btrfs' || !node.State.Pid) return undefined;
  const r = await execInRunningFabric(docker, `awk '$5 == "/" && $(NF - 2) == "btrfs" { print $NF; exit }' /proc/${node.State.Pid}/mountinfo`);
  const id = r?.exitCode === 0 ? SUBVOLUME.exec(r.stdout.trim())?.[2] : undefined;
  if (!id) return undefined;
  const { DockerRootDir } = (await docker.info()) as { DockerRootDir?: string };
  return DockerRootDir ? `${DockerRootDir}/btrfs/subvolumes/${id}` : undefined;
}
