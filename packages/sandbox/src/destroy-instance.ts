// Teardown: an instance is its node containers (with the node ends of the veth pairs and any
// namespace a learner made), its namespace in the fabric (bridges and the other veth ends) and
// its marker volume. Removing the three leaves nothing on the host.
import type Docker from 'dockerode';
import { dockerCall } from './docker-call';
import { deleteFabricNamespaces } from './fabric';
import { LABEL, markerVolumeName } from './labels';
import { listInstances } from './list-instances';

const gone = (error: { statusCode?: number }) => {
  // 404: already gone; 409: removal already in progress. Both mean "going away".
  if (error.statusCode !== 404 && error.statusCode !== 409) throw error;
};

/**
 * Removes every container of the instance; returns how many were removed. Idempotent. Each Docker
 * call is bounded (docker-call.ts): an engine that holds one makes this fail with a sentence naming
 * it, and the collector removes what is left later.
 */
export async function destroyInstance(docker: Docker, instanceId: string): Promise<number> {
  const containers = await dockerCall(`list of instance ${instanceId}'s containers`, (abortSignal) =>
    docker.listContainers({ all: true, filters: { label: [`${LABEL.instance}=${instanceId}`] }, abortSignal }),
  );
  await Promise.all([
    deleteFabricNamespaces(docker, [instanceId]),
    ...containers.map((c) =>
      dockerCall(`removal of container ${c.Names[0]?.replace(/^\//, '') ?? c.Id.slice(0, 12)}`, (abortSignal) => docker.getContainer(c.Id).remove({ force: true, v: true, abortSignal }), 60_000).catch(gone),
    ),
  ]);
  // After the containers (a volume in use cannot go): other volumes of the instance (a cluster's
  // credentials), then the marker, since a marker without containers reads as a crashed
  // provisioning, never as live.
  const volumes = await docker.listVolumes({ filters: { label: [`${LABEL.instance}=${instanceId}`] } });
  await Promise.all(
    (volumes.Volumes ?? []).filter((v) => v.Name !== markerVolumeName(instanceId)).map((v) => docker.getVolume(v.Name).remove().catch(gone)),
  );
  await docker.getVolume(markerVolumeName(instanceId)).remove().catch(gone);
  return containers.length;
}

/**
 * Destroys every instance of `scope`, one after another: the clean-up of a test run or benchmark,
 * which owns its scope whole (unlike collectGarbage, it spares nothing known or fresh).
 */
export async function destroyScopeInstances(docker: Docker, scope: string): Promise<void> {
  for (const i of await listInstances(docker)) if (i.scope === scope) await destroyInstance(docker, i.id);
}
