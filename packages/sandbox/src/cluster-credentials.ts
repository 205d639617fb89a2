// A cluster's admin credentials, kept where the learner cannot reach them: a Docker volume of the
// instance (`praxis-<id>-kube`, labelled like its containers, removed with it) holding the
// kubeconfig kubeadm wrote, read from the control plane during provisioning, before the learner
// had the node. Graders of cluster nodes mount it read-only; checks then run the grader's own
// kubectl with it, so neither the node's kubectl nor its ~/.kube/config decides a grade.
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { kubeVolumeName } from './labels';

/** Path of the kubeconfig inside a grader (the volume is mounted at its folder). */
export const GRADER_KUBECONFIG = '/run/praxis/kube/admin.conf';

function tarOf(name: string, content: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const pack = tar.pack();
    const chunks: Buffer[] = [];
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
    pack.entry({ name, mode: 0o600 }, content, (error) => (error ? reject(error) : pack.finalize()));
  });
}

/**
 * Creates the instance's credentials volume and writes the kubeconfig into it through a container
 * that is created but never started (the archive API writes into its volume).
 */
export async function storeClusterCredentials(
  docker: Docker,
  instanceId: string,
  image: string,
  labels: Record<string, string>,
  kubeconfig: string,
): Promise<string> {
  const volume = kubeVolumeName(instanceId);
  await docker.createVolume({ Name: volume, Labels: labels });
  const writer = await docker.createContainer({
    Image: image,
    Cmd: ['true'],
    Labels: labels,
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none', Binds: [`${volume}:/kube`] },
  });
  try {
    await writer.putArchive(await tarOf('admin.conf', kubeconfig), { path: '/kube' });
  } finally {
    await writer.remove({ force: true }).catch(() => undefined);
  }
  return volume;
}
