// The fabric: one long-lived plumbing container per Docker engine that holds every instance's
// segments, each instance in a network namespace of its own (named by the instance id) inside
// the fabric. It shares the host's pid namespace so it can name each node's namespace by pid,
// has no network of its own, and is never reachable from a node. One container per engine rather
// than one per instance keeps a fourth container start off every provisioning's critical path.
import type Docker from 'dockerode';
import { execInContainer, type ExecResult } from './exec';
import { FABRIC_CONTAINER_NAME, INSTANCE_ID_PATTERN, LABEL } from './labels';

const cache = new WeakMap<Docker, Promise<string>>();

function fabricSpec(image: string, usernsRemap: boolean): Docker.ContainerCreateOptions & { name: string } {
  return {
    name: FABRIC_CONTAINER_NAME,
    Image: image,
    Labels: { [LABEL.role]: 'fabric' },
    HostConfig: {
      NetworkMode: 'none',
      PidMode: 'host',
      // Under --userns-remap the fabric stays in the host's user namespace: it must see host pids
      // and remount the nodes' sysfs (docs/sandbox-security.md).
      ...(usernsRemap ? { UsernsMode: 'host' } : {}),
      CapAdd: ['NET_ADMIN', 'SYS_ADMIN', 'SYS_PTRACE'],
      Sysctls: { 'net.ipv4.ip_forward': '0', 'net.ipv6.conf.all.disable_ipv6': '1' },
      // Instance namespaces are mounts under /run/netns: a tmpfs, so a restarted fabric starts
      // with none rather than with stale files whose mounts are gone.
      Tmpfs: { '/run/netns': 'rw,mode=0755' },
      RestartPolicy: { Name: 'unless-stopped' },
      Memory: 256 * 1024 * 1024,
      PidsLimit: 2048,
    },
  };
}

/**
 * Creates and starts the named container of `spec`, or joins the one another process is creating
 * or has created (several API processes and test workers start on one engine). Its id.
 */
export async function createOrJoin(docker: Docker, spec: Docker.ContainerCreateOptions & { name: string }): Promise<string> {
  const existing = docker.getContainer(spec.name);
  let info = await existing.inspect().catch(() => undefined);
  if (!info) {
    try {
      await docker.createContainer(spec);
    } catch (error) {
      // 409: another process created it first; use theirs.
      if ((error as { statusCode?: number }).statusCode !== 409) throw error;
    }
    info = await inspectWhenRegistered(existing);
  }
  if (!info.State.Running) {
    await existing.start().catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 304) throw error; // 304: started meanwhile by another process
    });
  }
  return info.Id;
}

/**
 * Inspects a container another process is creating. Docker reserves a container's name before it
 * registers the container (its layer is made in between), so for a moment a create answers 409
 * while an inspect by that name still answers 404: CI's first cluster labs, provisioning side by
 * side on a fresh engine, failed on exactly that. Waits up to 30 s for the registration.
 */
async function inspectWhenRegistered(container: Docker.Container): Promise<Docker.ContainerInspectInfo> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await container.inspect();
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404 || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** The fabric's container id, creating and starting it when needed. Cached per client. */
export function ensureFabric(docker: Docker, image: string, usernsRemap: boolean): Promise<string> {
  let id = cache.get(docker);
  if (!id) {
    id = createOrJoin(docker, fabricSpec(image, usernsRemap));
    id.catch(() => cache.delete(docker));
    cache.set(docker, id);
  }
  return id;
}

/**
 * Runs a shell script in the fabric. A fabric that died (engine restart, removed by hand) is
 * started again once before giving up.
 */
export async function execInFabric(
  docker: Docker,
  script: string,
  fabric: { image: string; usernsRemap: boolean },
  timeoutMs = 20_000,
): Promise<ExecResult> {
  const run = async () => execInContainer(docker, await ensureFabric(docker, fabric.image, fabric.usernsRemap), ['sh', '-c', script], { timeoutMs });
  try {
    return await run();
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 404 && status !== 409) throw error;
    cache.delete(docker);
    return run();
  }
}

/** Runs a script in the fabric only if it is running (teardown and collection never create it). */
export async function execInRunningFabric(docker: Docker, script: string): Promise<ExecResult | undefined> {
  const info = await docker
    .getContainer(FABRIC_CONTAINER_NAME)
    .inspect()
    .catch(() => undefined);
  if (!info?.State.Running) return undefined;
  return execInContainer(docker, info.Id, ['sh', '-c', script], { timeoutMs: 20_000 });
}

/** Instance namespaces present in the fabric. */
export async function listFabricNamespaces(docker: Docker): Promise<string[]> {
  const r = await execInRunningFabric(docker, 'ip netns list');
  if (!r || r.exitCode !== 0) return [];
  return r.stdout
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => INSTANCE_ID_PATTERN.test(n));
}

/** Deletes instance namespaces (and with them their bridges and veth ends). */
export async function deleteFabricNamespaces(docker: Docker, ids: string[]): Promise<void> {
  const safe = ids.filter((id) => INSTANCE_ID_PATTERN.test(id));
  if (safe.length === 0) return;
  await execInRunningFabric(docker, safe.map((id) => `ip netns del ${id} 2>/dev/null; rm -f /run/praxis/wired/${id}`).join('; ') + '; true');
}
