// A real two-node kubeadm cluster in lab nodes, shared by every test of this file: it is a
// cluster (static pods, kube-proxy, CoreDNS, kubelet as a service), pods reach each other across
// nodes through praxis-net's routes, services answer through kube-proxy's rules, CoreDNS
// resolves them, Traefik routes Ingress rules; and a check's kubectl runs in the trusted grader
// with the instance's credentials, whatever the learner does to the node's kubectl or kubeconfig.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, destroyInstance, execInNode, getInstance, type Instance, type ProvisionEvent } from '@praxis/sandbox';
import type { LabScript } from '@praxis/labs';
import { runScript, type GradeContext } from '../src';
import { docker, newScope } from './helpers';

const scope = newScope('cluster');
const CP_IP = '192.168.40.10';
const NODE01_IP = '192.168.40.11';
const topology = {
  nodes: [{ name: 'controlplane' }, { name: 'node01' }],
  segments: [{ name: 'lan' }],
  links: [
    { node: 'controlplane', segment: 'lan', address: `${CP_IP}/24`, gateway: '192.168.40.1' },
    { node: 'node01', segment: 'lan', address: `${NODE01_IP}/24`, gateway: '192.168.40.1' },
  ],
  cluster: { controlPlane: 'controlplane', workers: ['node01'], ingress: true, gateway: true },
};

let instance: Instance;
let ctx: GradeContext;
const events: ProvisionEvent[] = [];

/** A shell line on a node, as the learner's root; fails the test when it exits non-zero. */
const sh = async (node: string, line: string, timeoutMs = 60_000) => {
  const r = await execInNode(docker, instance.id, node, ['bash', '-c', line], { timeoutMs });
  if (r.exitCode !== 0) throw new Error(`"${line}" on ${node} exited ${r.exitCode}: ${r.stderr || r.stdout}`);
  return r.stdout;
};
const kubectl = (args: string) => sh('controlplane', `kubectl ${args}`);
const script = (node: string, text: string): LabScript => ({ nodes: [node], text, source: 'test', timeoutMs: 30_000 });

beforeAll(async () => {
  instance = await createInstance(docker, topology, { scope, owner: 'cluster-test', onProgress: (e) => events.push(e) });
  ctx = { docker, instanceId: instance.id, variables: {} };
  // Workloads the tests share: two web servers with their own pages, pods pinned to each node.
  await sh(
    'controlplane',
    `kubectl create configmap web-page --from-literal=index.html=web-page
     kubectl create configmap api-page --from-literal=index.html=api-page
     kubectl apply -f - <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata: { name: web }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - { name: nginx, image: nginx, volumeMounts: [{ name: page, mountPath: /usr/share/nginx/html }] }
      volumes: [{ name: page, configMap: { name: web-page } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api }
spec:
  replicas: 1
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
      - { name: nginx, image: nginx, volumeMounts: [{ name: page, mountPath: /usr/share/nginx/html/api }] }
      volumes: [{ name: page, configMap: { name: api-page } }]
EOF
     kubectl expose deployment web --port 80
     kubectl expose deployment api --port 80
     kubectl create service nodeport web-np --tcp=80:80 --node-port=30081
     kubectl set selector service web-np app=web
     for n in controlplane node01; do
       kubectl run pod-$n --image=praxis/tools --overrides="{\\"spec\\":{\\"nodeName\\":\\"$n\\",\\"tolerations\\":[{\\"operator\\":\\"Exists\\"}]}}" -- sleep infinity
     done
     kubectl wait --for=condition=Ready pod/pod-controlplane pod/pod-node01 --timeout=120s
     kubectl rollout status deployment/web --timeout=120s
     kubectl rollout status deployment/api --timeout=120s`,
    240_000,
  );
}, 600_000);

afterAll(async () => {
  if (instance) await destroyInstance(docker, instance.id);
});

describe('a cluster lab', () => {
  it('reports each bootstrap phase while provisioning', () => {
    const steps = events.map((e) => e.step);
    expect(steps).toEqual(['images', 'nodes', 'links', 'runtime', 'kubeadm-init', 'join', 'cni', 'coredns', 'addons', 'setup', 'ready']);
  });

  it('is a kubeadm cluster: both nodes Ready, static pods, kube-proxy and CoreDNS running', async () => {
    const nodes = await kubectl('get nodes --no-headers -o custom-columns=N:.metadata.name,S:.status.conditions[-1].type,IP:.status.addresses[0].address');
    expect(nodes).toMatch(new RegExp(`controlplane\\s+Ready\\s+${CP_IP.replace(/\./g, '\\.')}`));
    expect(nodes).toMatch(new RegExp(`node01\\s+Ready\\s+${NODE01_IP.replace(/\./g, '\\.')}`));
    const pods = await kubectl('-n kube-system get pods --no-headers -o custom-columns=N:.metadata.name,P:.status.phase');
    for (const name of ['etcd-controlplane', 'kube-apiserver-controlplane', 'kube-controller-manager-controlplane', 'kube-scheduler-controlplane']) {
      expect(pods).toMatch(new RegExp(`${name}\\s+Running`));
    }
    expect(pods.match(/kube-proxy-\S+\s+Running/g)).toHaveLength(2);
    expect(pods.match(/coredns-\S+\s+Running/g)).toHaveLength(2);
    expect(await sh('controlplane', 'ls /etc/kubernetes/manifests')).toMatch(/etcd\.yaml[\s\S]*kube-apiserver\.yaml/);
    // ~/.kube/config and admin.conf both work on the control plane.
    expect(await sh('controlplane', 'kubectl --kubeconfig /etc/kubernetes/admin.conf get ns default -o name')).toContain('namespace/default');
  });

  it("knows every node by name, as the course's VMs do: each resolves its own name and the others'", async () => {
    // Through /etc/hosts: the nodes' upstream name server is unreachable (docs/kubernetes.md).
    for (const node of ['controlplane', 'node01']) {
      const hosts = await sh(node, 'getent ahostsv4 controlplane | head -1; getent ahostsv4 node01 | head -1', 15_000);
      expect(hosts).toMatch(new RegExp(`^${CP_IP.replace(/\./g, '\\.')}\\s+STREAM controlplane$`, 'm'));
      expect(hosts).toMatch(new RegExp(`^${NODE01_IP.replace(/\./g, '\\.')}\\s+STREAM node01$`, 'm'));
    }
    expect(await sh('node01', 'ping -c 1 -W 5 controlplane')).toContain(`from controlplane (${CP_IP})`);
  });

  it('runs kubelet as a service the learner inspects, reads the logs of and restarts', async () => {
    expect(await sh('node01', 'systemctl is-active kubelet')).toContain('active');
    // As on a kubeadm VM: the status with its main PID and last log lines, `journalctl -xeu
    // kubelet` as kubeadm's messages suggest, and no diagnostic noise of the systemd stand-in.
    const status = await execInNode(docker, instance.id, 'node01', ['bash', '-c', 'systemctl status kubelet'], { timeoutMs: 30_000 });
    expect(status.stdout).toMatch(/● kubelet\.service[\s\S]*Active: active \(running\) since [\s\S]*Main PID: \d+ \(kubelet\)/);
    const logs = await execInNode(docker, instance.id, 'node01', ['bash', '-c', 'journalctl -xeu kubelet --no-pager -n 20'], { timeoutMs: 30_000 });
    expect(logs.exitCode).toBe(0);
    expect(logs.stdout.trim().split('\n')).toHaveLength(20);
    expect(logs.stdout).toMatch(/^[IWE]\d{4} /m);
    for (const r of [status, logs]) expect(r.stderr).not.toMatch(/CRITICAL|systemctl:/);
    const unknown = await execInNode(docker, instance.id, 'node01', ['bash', '-c', 'systemctl status kubelett'], { timeoutMs: 30_000 });
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.stderr.trim()).toBe('Unit kubelett.service could not be found.');
    const before = (await sh('node01', 'pgrep -x kubelet')).trim();
    await sh('node01', 'systemctl restart kubelet');
    const after = (await sh('node01', 'for i in $(seq 50); do p=$(pgrep -x kubelet) && [ -n "$p" ] && echo $p && exit 0; sleep 0.2; done; exit 1')).trim();
    expect(after).not.toBe(before);
    await sh('controlplane', 'kubectl wait --for=condition=Ready node/node01 --timeout=90s');
    // Ready comes before the new kubelet knows its pods again: the next tests exec into pod-node01.
    await sh('controlplane', 'for i in $(seq 60); do kubectl exec pod-node01 -- true 2>/dev/null && exit 0; sleep 1; done; exit 1', 90_000);
  });

  it('lets a pod on node01 reach a pod on controlplane by IP, routed by praxis-net', async () => {
    const target = (await kubectl("get pod pod-controlplane -o jsonpath='{.status.podIP}'")).trim();
    const cpCidr = (await kubectl("get node controlplane -o jsonpath='{.spec.podCIDR}'")).trim();
    expect(target).toMatch(/^10\.244\./);
    // The mechanism: node01 routes the control plane's pod CIDR to the control plane's address.
    expect(await sh('node01', `ip route show ${cpCidr}`)).toContain(`via ${CP_IP}`);
    expect(await kubectl(`exec pod-node01 -- ping -c 2 -W 2 ${target}`)).toMatch(/2 received/);
  });

  it('answers a ClusterIP and a NodePort service through kube-proxy iptables rules', async () => {
    const clusterIp = (await kubectl("get svc web -o jsonpath='{.spec.clusterIP}'")).trim();
    expect(await kubectl(`exec pod-node01 -- curl -s --max-time 5 http://${clusterIp}/`)).toBe('web-page');
    expect(await sh('controlplane', `curl -s --max-time 5 http://${NODE01_IP}:30081/`)).toBe('web-page');
    const nat = await sh('node01', 'iptables-save -t nat');
    expect(nat).toMatch(/-A KUBE-SERVICES -d [0-9.]+\/32 -p tcp -m comment --comment "default\/web cluster IP"/);
    expect(nat).toMatch(/-A KUBE-NODEPORTS -p tcp -m comment --comment "default\/web-np:80-80" -m tcp --dport 30081 -j KUBE-EXT-/);
  });

  it('resolves web.default.svc.cluster.local through CoreDNS', async () => {
    const clusterIp = (await kubectl("get svc web -o jsonpath='{.spec.clusterIP}'")).trim();
    const dnsIp = (await kubectl("-n kube-system get svc kube-dns -o jsonpath='{.spec.clusterIP}'")).trim();
    const answer = await kubectl('exec pod-node01 -- dig +short web.default.svc.cluster.local');
    expect(answer.trim()).toBe(clusterIp);
    expect(await kubectl('exec pod-node01 -- cat /etc/resolv.conf')).toContain(`nameserver ${dnsIp}`);
  });

  it('routes two hosts and paths to two services through the Traefik Ingress controller', async () => {
    await sh(
      'controlplane',
      `kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: shop }
spec:
  rules:
  - host: web.example.com
    http: { paths: [{ path: /, pathType: Prefix, backend: { service: { name: web, port: { number: 80 } } } }] }
  - host: shop.example.com
    http: { paths: [{ path: /api, pathType: Prefix, backend: { service: { name: api, port: { number: 80 } } } }] }
EOF`,
    );
    const get = (host: string, path: string) =>
      sh('controlplane', `for i in $(seq 40); do out=$(curl -s --max-time 3 -H 'Host: ${host}' http://${NODE01_IP}:30080${path}) && [ "$out" != "404 page not found" ] && echo "$out" && exit 0; sleep 0.5; done; echo "$out"`);
    expect((await get('web.example.com', '/')).trim()).toBe('web-page');
    expect((await get('shop.example.com', '/api/')).trim()).toBe('api-page');
    expect((await sh('controlplane', `curl -s -o /dev/null -w '%{http_code}' -H 'Host: other.example.com' http://${NODE01_IP}:30080/`)).trim()).toBe('404');
  });
});

describe('the Gateway API', () => {
  it('routes an HTTPRoute of a Gateway of class traefik to its backend', async () => {
    await sh(
      'controlplane',
      `kubectl apply -f - <<'EOF'
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata: { name: gw }
spec:
  gatewayClassName: traefik
  listeners: [{ name: http, protocol: HTTP, port: 80 }]
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api-route }
spec:
  parentRefs: [{ name: gw }]
  hostnames: [gw.example.com]
  rules: [{ matches: [{ path: { type: PathPrefix, value: /api } }], backendRefs: [{ name: api, port: 80 }] }]
EOF
kubectl wait --for=condition=Programmed gateway/gw --timeout=60s`,
    );
    const out = await sh('controlplane', `for i in $(seq 40); do out=$(curl -s --max-time 3 -H 'Host: gw.example.com' http://${NODE01_IP}:30080/api/) && [ "$out" = api-page ] && break; sleep 0.5; done; echo "$out"`);
    expect(out.trim()).toBe('api-page');
  });
});

describe('grading a cluster from outside the learner\'s reach', () => {
  const countNodes = script('controlplane', 'kubectl get nodes --no-headers | wc -l; kubectl get nodes -o name');

  it("runs the grader's own kubectl with the instance's credentials", async () => {
    const run = await runScript(ctx, countNodes);
    expect(run.passed).toBe(true);
    expect(run.nodes[0]!.stdout).toMatch(/^2\nnode\/controlplane\nnode\/node01/);
  });

  it('gives the same answer after the learner replaced kubectl and edited ~/.kube/config', async () => {
    await sh('controlplane', `printf '#!/bin/sh\\necho "3"; echo node/fake\\n' > /usr/bin/kubectl && chmod +x /usr/bin/kubectl`);
    await sh('controlplane', "sed -i 's#server: https://.*#server: https://127.0.0.1:1#' /root/.kube/config && cp /root/.kube/config /etc/kubernetes/admin.conf");
    expect(await sh('controlplane', 'kubectl get nodes')).toContain('node/fake');
    const run = await runScript(ctx, countNodes);
    expect(run.passed).toBe(true);
    expect(run.nodes[0]!.stdout).toMatch(/^2\nnode\/controlplane\nnode\/node01/);
    // The grader reads the node's files from its root filesystem, not through the node's tools.
    const file = await runScript(ctx, script('controlplane', 'nodefile /etc/kubernetes/manifests/kube-apiserver.yaml | grep -c -- --service-cluster-ip-range=10.96.0.0/12'));
    expect(file.nodes[0]!.stdout.trim()).toBe('1');
  });

  it('keeps the cluster instance whole for the collector: ready, with its credentials volume', async () => {
    const listed = await getInstance(docker, instance.id);
    expect(listed?.ready).toBe(true);
    expect(listed?.volumes).toEqual([`praxis-${instance.id}-kube`]);
  });
});

describe('a cluster that does not come up in its time limit', () => {
  it('fails with the phase and the last log lines, and leaves nothing behind', async () => {
    const failScope = newScope('cluster-fail');
    let error: { code?: string; message: string } | undefined;
    const ids: string[] = [];
    try {
      await createInstance(
        docker,
        { ...topology, nodes: [{ name: 'controlplane' }], links: [topology.links[0]!], cluster: { controlPlane: 'controlplane', timeoutSeconds: 10 } },
        { scope: failScope, onProgress: (e) => ids.push(e.instanceId) },
      );
    } catch (e) {
      error = e as { code?: string; message: string };
    }
    expect(error?.code).toBe('CLUSTER_FAILED');
    expect(error?.message).toMatch(/cluster phase "(runtime|kubeadm-init)" on node "controlplane" did not finish within the cluster's time limit \(10 s\)/);
    const id = ids[0]!;
    expect(await docker.listContainers({ all: true, filters: { label: [`praxis.instance=${id}`] } })).toEqual([]);
    expect((await docker.listVolumes({ filters: { label: [`praxis.instance=${id}`] } })).Volumes ?? []).toEqual([]);
  }, 120_000);
});

describe('a cluster without a network plugin (cni: none)', () => {
  it('is up with its nodes NotReady until the learner applies praxis-net', async () => {
    const noCniScope = newScope('cluster-nocni');
    const inst = await createInstance(
      docker,
      { ...topology, nodes: [{ name: 'controlplane' }], links: [topology.links[0]!], cluster: { controlPlane: 'controlplane', cni: 'none' } },
      { scope: noCniScope },
    );
    try {
      const run = (line: string) => execInNode(docker, inst.id, 'controlplane', ['bash', '-c', line], { timeoutMs: 150_000 });
      const before = await run("kubectl get node controlplane -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].message}'");
      expect(before.stdout).toMatch(/network plugin|cni/i);
      expect((await run('ls /etc/cni/net.d')).stdout.trim()).toBe('');
      const applied = await run('kubectl apply -f /etc/kubernetes/addons/praxis-net.yaml >/dev/null && kubectl wait --for=condition=Ready node/controlplane --timeout=120s');
      expect(applied.exitCode, applied.stderr).toBe(0);
      expect((await run('ls /etc/cni/net.d')).stdout).toContain('10-praxis-net.conflist');
    } finally {
      await destroyInstance(docker, inst.id);
    }
  }, 300_000);
});
