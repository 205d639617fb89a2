// Turning started and wired nodes into a kubeadm cluster, phase by phase: containerd up on every
// node, `kubeadm init` on the control plane, `kubeadm join` on the workers (in parallel), the
// network plugin and every node Ready, CoreDNS available, then the optional add-ons (Traefik for
// Ingress and the Gateway API). The node-side steps are scripts in the k8s image
// (/usr/local/lib/praxis-k8s); this file orders them, bounds them by the cluster's time limit,
// and on failure names the phase and shows the last lines of the failing component's log.
import type Docker from 'dockerode';
import { execInContainer, type ExecResult } from './exec';
import { SandboxError, type InstanceNode } from './instance.types';
import { clusterNodes, type Topology, type TopologyCluster } from '@praxis/topology';

export type ClusterPhase = 'runtime' | 'kubeadm-init' | 'join' | 'cni' | 'coredns' | 'addons';

export interface ClusterCredentials {
  /** The cluster-admin kubeconfig kubeadm wrote, read before the learner had the node. */
  adminKubeconfig: string;
  apiEndpoint: string;
}

export interface BootstrapOptions {
  report: (phase: ClusterPhase, message: string) => void;
}

const KUBECTL = 'kubectl --kubeconfig /etc/kubernetes/admin.conf';

/** The first address of a node's links, without its prefix: its node IP. */
export function nodeIp(topology: Topology, node: string): string {
  const link = topology.links.find((l) => l.node === node && l.address);
  if (!link?.address) throw new SandboxError('CLUSTER_FAILED', `cluster node "${node}" has no address`);
  return link.address.split('/')[0]!;
}

/**
 * The /etc/hosts lines of a cluster's nodes (Docker's `ExtraHosts`, "name:ip"): every cluster node
 * by its hostname (and its node name where that differs), as on the course's kubeadm VMs. Without
 * its own name there, a lookup of it goes to the unreachable upstream name server and waits out
 * the resolver's timeout: kubeadm's preflight hostname check did, for 10-12 s in init and again in
 * join, a third of a cluster's boot.
 */
export function clusterHosts(topology: Topology): string[] {
  return clusterNodes(topology).flatMap((name) => {
    const node = topology.nodes.find((n) => n.name === name)!;
    const ip = nodeIp(topology, name);
    return [...new Set([node.hostname ?? name, name])].map((h) => `${h}:${ip}`);
  });
}

export async function bootstrapCluster(docker: Docker, topology: Topology, nodes: InstanceNode[], options: BootstrapOptions): Promise<ClusterCredentials> {
  const cluster = topology.cluster as TopologyCluster;
  const deadline = Date.now() + cluster.timeoutSeconds * 1000;
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const cp = byName.get(cluster.controlPlane)!;
  const workers = cluster.workers.map((w) => byName.get(w)!);
  const cpIp = nodeIp(topology, cp.name);
  let phase: ClusterPhase = 'runtime';

  const remainingMs = () => deadline - Date.now();
  const exec = async (node: InstanceNode, script: string, env: Record<string, string> = {}): Promise<ExecResult> => {
    const left = remainingMs();
    if (left <= 0) throw await phaseFailure(docker, phase, node, cluster.timeoutSeconds, undefined, true);
    const r = await execInContainer(docker, node.containerId, ['bash', '-c', script], {
      timeoutMs: left,
      env: Object.entries(env).map(([k, v]) => `${k}=${v}`),
      maxOutputBytes: 64 * 1024,
    });
    if (r.exitCode !== 0) throw await phaseFailure(docker, phase, node, cluster.timeoutSeconds, r, Date.now() >= deadline - 1000);
    return r;
  };

  // containerd is started by the node's init (systemctl init); wait until it answers.
  await Promise.all(
    [cp, ...workers].map((n) =>
      exec(n, 'for i in $(seq 300); do crictl info >/dev/null 2>&1 && exit 0; sleep 0.2; done; echo "containerd did not start" >&2; exit 1'),
    ),
  );
  options.report('runtime', `containerd ready on ${[cp, ...workers].map((n) => n.name).join(', ')}`);

  phase = 'kubeadm-init';
  await exec(cp, '/usr/local/lib/praxis-k8s/cluster-init.sh', {
    NODE_NAME: cp.name,
    NODE_IP: cpIp,
    POD_SUBNET: cluster.podSubnet,
    SERVICE_SUBNET: cluster.serviceSubnet,
    KUBE_PROXY_MODE: cluster.kubeProxyMode,
    CLUSTER_NAME: cluster.name,
  });
  options.report('kubeadm-init', `control plane up on ${cp.name} (${cpIp}:6443)`);

  if (workers.length) {
    phase = 'join';
    const join = (await exec(cp, 'kubeadm token create --ttl 1h --print-join-command')).stdout.trim();
    const token = /--token\s+(\S+)/.exec(join)?.[1];
    const hash = /--discovery-token-ca-cert-hash\s+(\S+)/.exec(join)?.[1];
    if (!token || !hash) throw new SandboxError('CLUSTER_FAILED', `cluster phase "join": unexpected join command: ${join}`);
    // kubeadm join trusts cluster-info once the controller manager's bootstrap signer has signed it
    // for this token, and otherwise retries only every 5 s; right after init the signer is often
    // still starting. Waiting here (at most 20 s, then join retries on its own) saved those 5 s.
    const tokenId = token.split('.')[0];
    await exec(cp, `for i in $(seq 100); do [ -n "$(${KUBECTL} -n kube-public get configmap cluster-info -o jsonpath='{.data.jws-kubeconfig-${tokenId}}')" ] && exit 0; sleep 0.2; done; exit 0`);
    await Promise.all(
      workers.map((w) =>
        exec(w, '/usr/local/lib/praxis-k8s/cluster-join.sh', {
          NODE_NAME: w.name,
          NODE_IP: nodeIp(topology, w.name),
          SERVICE_SUBNET: cluster.serviceSubnet,
          API_ENDPOINT: `${cpIp}:6443`,
          JOIN_TOKEN: token,
          CA_CERT_HASH: hash,
        }),
      ),
    );
    options.report('join', `${workers.map((w) => w.name).join(', ')} joined`);
  }

  const wait = (what: string) => `${KUBECTL} ${what} --timeout=${Math.max(5, Math.floor(remainingMs() / 1000) - 2)}s`;
  if (cluster.cni === 'praxis-net') {
    phase = 'cni';
    // The agents reach the API server at the control plane's address, as kube-proxy does, not
    // through the kubernetes Service: its ClusterIP works only once kube-proxy has written its
    // rules on that node, and a worker's agent that started first lost 8-10 s (one SYN lost to
    // the missing rule, then its 5 s poll) before the node could be Ready.
    // Lines sed appends after the container's `env:` (joined by sed's own \n escapes).
    const agentEnv = ['- name: KUBERNETES_SERVICE_HOST', `  value: "${cpIp}"`, '- name: KUBERNETES_SERVICE_PORT', '  value: "6443"']
      .map((line) => `        ${line}`)
      .join('\\n');
    await exec(cp, `sed -e 's#"Network": "10.244.0.0/16"#"Network": "${cluster.podSubnet}"#' -e '/^        env:$/a\\${agentEnv}' /etc/kubernetes/addons/praxis-net.yaml | ${KUBECTL} apply -f - >/dev/null`);
    // Nodes register asynchronously after join: wait until all are listed, then Ready.
    await exec(cp, `for i in $(seq 150); do [ "$(${KUBECTL} get nodes --no-headers | wc -l)" -ge ${1 + workers.length} ] && exit 0; sleep 0.4; done; exit 1`);
    await exec(cp, wait('wait --for=condition=Ready nodes --all'));
    options.report('cni', `praxis-net applied; ${1 + workers.length} node(s) Ready`);

    phase = 'coredns';
    await exec(cp, wait('-n kube-system rollout status deployment/coredns'));
    options.report('coredns', 'CoreDNS available');
  } else {
    options.report('cni', 'no network plugin: nodes stay NotReady until one is applied');
  }

  if (cluster.ingress || cluster.gateway) {
    phase = 'addons';
    const files = cluster.gateway
      ? ['gateway-api-crds.yaml', 'traefik-crds.yaml', 'traefik.yaml', 'traefik-gatewayclass.yaml']
      : ['traefik-crds.yaml', 'traefik.yaml'];
    // The Deployment's first argument enables the Ingress provider; the Gateway API provider is
    // added when asked for (it needs the CRDs, applied first).
    const patches = [
      ...(cluster.ingress ? [] : ['{"op":"remove","path":"/spec/template/spec/containers/0/args/0"}']),
      ...(cluster.gateway ? ['{"op":"add","path":"/spec/template/spec/containers/0/args/-","value":"--providers.kubernetesgateway"}'] : []),
    ];
    await exec(cp, files.map((f) => `${KUBECTL} apply --server-side -f /etc/kubernetes/addons/${f} >/dev/null`).join(' && '));
    if (patches.length) await exec(cp, `${KUBECTL} -n traefik patch deployment traefik --type json -p '[${patches.join(',')}]' >/dev/null`);
    if (cluster.cni !== 'none') await exec(cp, wait('-n traefik rollout status deployment/traefik'));
    options.report('addons', `Traefik ready (${[cluster.ingress ? 'Ingress' : '', cluster.gateway ? 'Gateway API' : ''].filter(Boolean).join(' and ')})`);
  }

  const kubeconfig = (await exec(cp, 'cat /etc/kubernetes/admin.conf')).stdout;
  return { adminKubeconfig: kubeconfig, apiEndpoint: `https://${cpIp}:6443` };
}

/** The error of a failed phase: what failed, and the last lines of the component that knows why. */
async function phaseFailure(
  docker: Docker,
  phase: ClusterPhase,
  node: InstanceNode,
  timeoutSeconds: number,
  r: ExecResult | undefined,
  outOfTime: boolean,
): Promise<SandboxError> {
  const tail = (text: string, n: number) => text.trim().split('\n').slice(-n).join('\n');
  const why = outOfTime
    ? `did not finish within the cluster's time limit (${timeoutSeconds} s)`
    : r?.exitCode === 137
      ? 'was killed (exit 137: the node ran out of memory, or the node stopped)'
      : `failed (exit ${r?.exitCode})`;
  const output = r ? tail(`${r.stdout}\n${r.stderr}`, 8) : '';
  // kubelet's journal says why static pods or joins did not come up; containerd's why it did not start.
  const unit = phase === 'runtime' ? 'containerd' : 'kubelet';
  const journal = await execInContainer(docker, node.containerId, ['sh', '-c', `journalctl -u ${unit} 2>/dev/null | grep -v '^$' | tail -n 8`], { timeoutMs: 5000 })
    .then((j) => j.stdout.trim())
    .catch(() => '');
  return new SandboxError(
    'CLUSTER_FAILED',
    `cluster phase "${phase}" on node "${node.name}" ${why}${output ? `:\n${output}` : ''}${journal ? `\nlast lines of ${unit} on ${node.name}:\n${journal}` : ''}`,
    { phase, node: node.name },
  );
}
