// Whether the Docker engine remaps container root to an unprivileged host uid (dockerd
// --userns-remap). With it, a node's root and its SYS_ADMIN only act on the node's own namespaces;
// without it, SYS_ADMIN in a node is root on the host (see docs/sandbox-security.md).
import type Docker from 'dockerode';
import { readEngineFeatures } from './engine-features';

export { isUsernsRemapped } from './engine-features';

/** True when `docker info` lists the "name=userns" security option. Asked once per client. */
export async function hasUsernsRemap(docker: Docker): Promise<boolean> {
  return (await readEngineFeatures(docker)).usernsRemap;
}
