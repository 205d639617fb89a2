// Whether the Docker engine remaps container root to an unprivileged host uid (dockerd
// --userns-remap). With it, a node's root and its SYS_ADMIN only act on the node's own namespaces;
// without it, SYS_ADMIN in a node is root on the host (see docs/sandbox-security.md).
import type Docker from 'dockerode';

const cache = new WeakMap<Docker, Promise<boolean>>();

/** True when `docker info` lists the "name=userns" security option. Asked once per client. */
export function hasUsernsRemap(docker: Docker): Promise<boolean> {
  let answer = cache.get(docker);
  if (!answer) {
    answer = docker.info().then((info: { SecurityOptions?: string[] }) => isUsernsRemapped(info.SecurityOptions ?? []));
    // A failed probe is not remembered: the next provisioning asks again.
    answer.catch(() => cache.delete(docker));
    cache.set(docker, answer);
  }
  return answer;
}

/** Parses the SecurityOptions entries of `docker info` ("name=seccomp,profile=default", "name=userns"). */
export function isUsernsRemapped(securityOptions: string[]): boolean {
  return securityOptions.some((o) => o.split(',').includes('name=userns'));
}
