// Teardown: removing an instance's containers removes everything it had. The bridges and the
// switch ends of the veth pairs live in the switch's namespace, the node ends and any namespace a
// learner made live in the nodes, so nothing survives on the host.
import type Docker from 'dockerode';
import { LABEL } from './labels';
import { listInstances } from './list-instances';

/** Removes every container of the instance; returns how many were removed. Idempotent. */
export async function destroyInstance(docker: Docker, instanceId: string): Promise<number> {
  const containers = await docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${instanceId}`] } });
  await Promise.all(
    containers.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true, v: true })
        .catch((error: { statusCode?: number }) => {
          // 404: already gone; 409: removal already in progress. Both mean "going away".
          if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
        }),
    ),
  );
  return containers.length;
}

/**
 * Destroys every instance of `scope`, one after another: the clean-up of a test run or benchmark,
 * which owns its scope whole (unlike collectGarbage, it spares nothing known or fresh).
 */
export async function destroyScopeInstances(docker: Docker, scope: string): Promise<void> {
  for (const i of await listInstances(docker)) if (i.scope === scope) await destroyInstance(docker, i.id);
}
