// The Kubernetes node image (infra/images/k8s): built in five steps, each printed as progress.
//  1. the Go components (go-components.ts) and pause.c from k8s.io/kubernetes, compiled on the host;
//  2. the images to preload (preload/<name>/Dockerfile), tagged `praxis-k8s-preload-<name>`;
//  3. the node image itself (Dockerfile, FROM the general node image) with the binaries;
//  4. a "preloader" container of that image, with a node's capabilities, starts containerd and
//     imports the preload images into it, unpacked by the overlayfs snapshotter onto a tmpfs,
//     under the names kubeadm and learners use (registry.k8s.io/..., nginx, busybox); then the
//     unpacked snapshots are moved onto the container's own filesystem (prepare-snapshotter.sh
//     explains the layout);
//  5. `docker commit` of the preloader is the image: every node starts with its images unpacked,
//     sharing them through Docker's image layers instead of copying or importing per node.
import { spawn } from 'node:child_process';
import { copyFile, link, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { buildGoComponents } from './go-components';
import { savedOwnerShift, unshiftSavedImages } from './unshift-saved-images';
import { SandboxError } from './instance.types';

export interface ClusterImageOptions {
  /** infra/images/k8s */
  dir: string;
  /** The final content tag, e.g. praxis-k8s:<hash>. */
  tag: string;
  baseImage: string;
  nodeImage: string;
  /** Where component binaries are kept between builds (default /var/cache/praxis/k8s-components). */
  cacheDir?: string;
  onProgress?: (message: string) => void;
}

interface PreloadSpec {
  name: string;
  binaries: string[];
  refs: string[];
}

/** Capabilities of the preloader: those of a cluster node (create-instance.ts). */
const PRELOADER_CAPS = ['NET_ADMIN', 'NET_RAW', 'SYS_ADMIN', 'SYS_PTRACE'];

export const DEFAULT_COMPONENT_CACHE = '/var/cache/praxis/k8s-components';

function run(cmd: string, args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(path.join(dir, prefix), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const rel = prefix ? `${prefix}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else out.push(rel);
  }
  return out;
}

/** Hard link when possible (same filesystem), else copy: build contexts of hundreds of MB. */
async function place(from: string, to: string): Promise<void> {
  await mkdir(path.dirname(to), { recursive: true });
  await link(from, to).catch(() => copyFile(from, to));
}

async function buildContext(docker: Docker, context: string, tag: string, buildargs: Record<string, string>, say: (m: string) => void) {
  const stream = await docker.buildImage({ context, src: await listFiles(context) }, { t: tag, buildargs, rm: true, forcerm: true });
  const recent: string[] = [];
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, output: Array<{ error?: string }>) => {
        const failed = err ?? output.find((o) => o.error);
        if (!failed) return resolve();
        const why = err ? err.message : (failed as { error: string }).error;
        reject(new SandboxError('IMAGE_BUILD_FAILED', `building ${tag} failed: ${why}\nlast lines of the build:\n${recent.join('\n')}`));
      },
      (event: { stream?: string }) => {
        const line = event.stream?.trim();
        if (!line) return;
        recent.push(line.slice(0, 300));
        if (recent.length > 12) recent.shift();
        if (/^Step \d+\/\d+/.test(line)) say(`${tag}: ${line.slice(0, 100)}`);
      },
    );
  });
}

/** The references kubeadm deploys, by image name: {"kube-apiserver": "registry.k8s.io/kube-apiserver:v1.34.4", ...}. */
async function kubeadmImages(binDir: string, version: string): Promise<Map<string, string>> {
  const r = await run(path.join(binDir, 'kubeadm'), ['config', 'images', 'list', '--kubernetes-version', version]);
  if (r.code !== 0) throw new SandboxError('IMAGE_BUILD_FAILED', `kubeadm config images list failed: ${r.output.trim()}`);
  const out = new Map<string, string>();
  for (const ref of r.output.split('\n').map((l) => l.trim()).filter((l) => l.includes(':'))) {
    const repo = ref.slice(0, ref.lastIndexOf(':'));
    out.set(repo.slice(repo.lastIndexOf('/') + 1), ref);
  }
  return out;
}

/** Kubernetes' pause.c from the k8s.io/kubernetes module, compiled statically with the host's gcc. */
async function buildPause(componentsDir: string, binDir: string, pauseTag: string, say: (m: string) => void): Promise<void> {
  const target = path.join(binDir, 'pause');
  if (await stat(target).catch(() => undefined)) return;
  const dir = await run('go', ['list', '-m', '-f', '{{.Dir}}', 'k8s.io/kubernetes'], path.join(componentsDir, 'kubernetes'));
  const source = path.join(dir.output.trim(), 'build/pause/linux/pause.c');
  if (dir.code !== 0 || !(await stat(source).catch(() => undefined))) {
    throw new SandboxError('IMAGE_BUILD_FAILED', `pause.c not found in the k8s.io/kubernetes module (${source}): ${dir.output.trim()}`);
  }
  const gcc = await run('gcc', ['-Os', '-Wall', '-Werror', '-static', `-DVERSION=v${pauseTag}`, '-o', target, source]).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') throw new SandboxError('GCC_MISSING', 'pause.c needs gcc and a static libc (apt-get install gcc libc6-dev)');
    throw error;
  });
  if (gcc.code !== 0) throw new SandboxError('IMAGE_BUILD_FAILED', `compiling pause.c failed: ${gcc.output.trim()}`);
  await run('strip', [target]);
  say(`pause ${pauseTag} compiled from ${source}`);
}

/** The script the preloader runs: containerd up, images imported from stdin, names set, snapshots moved. */
export function preloadScript(renames: Array<[string, string]>): string {
  const tags = renames.map(([from, to]) => `ctr -n k8s.io images tag --force ${from} ${to} >/dev/null`).join('\n');
  const untag = [...new Set(renames.map(([from]) => from))].map((from) => `ctr -n k8s.io images rm ${from} >/dev/null`).join('\n');
  return `set -eu
root=/var/lib/containerd/io.containerd.snapshotter.v1.overlayfs
store=/var/lib/praxis-k8s/snapshots
mkdir -p "$root" "$store"
mount -t tmpfs -o mode=0700 tmpfs "$root"
containerd >/tmp/containerd.log 2>&1 &
containerd_pid=$!
for i in $(seq 100); do ctr version >/dev/null 2>&1 && break; sleep 0.2; done
ctr -n k8s.io images import --snapshotter overlayfs - >/dev/null
${tags}
${untag}
ctr -n k8s.io images ls -q | grep -v '^sha256:'
kill "$containerd_pid"; wait "$containerd_pid" || true
# Committed snapshots move to the image's own filesystem; the snapshotter's root keeps its
# metadata and one symlink per snapshot (prepare-snapshotter.sh moves that seed onto a tmpfs).
seed=$(mktemp -d)
cp -a "$root/metadata.db" "$seed/"
mkdir -p "$seed/snapshots"
for s in "$root"/snapshots/*; do
  id=$(basename "$s")
  # Only the layer's files: work/ holds overlayfs's scratch entries of the unpack.
  mkdir -p "$store/$id/work"
  cp -a "$s/fs" "$store/$id/fs"
  ln -s "$store/$id" "$seed/snapshots/$id"
done
umount "$root"
cp -a "$seed/." "$root/"
rm -rf "$seed" /tmp/containerd.log /run/containerd
`;
}

export async function buildClusterImage(docker: Docker, options: ClusterImageOptions): Promise<void> {
  const say = options.onProgress ?? (() => undefined);
  const started = Date.now();
  const componentsDir = path.join(options.dir, 'components');
  const { binDir, versions } = await buildGoComponents(componentsDir, {
    cacheDir: options.cacheDir ?? DEFAULT_COMPONENT_CACHE,
    onProgress: (p) => say(`[${p.component}] ${p.message}`),
  });
  say(`components: ${Object.values(versions).join(', ')}`);
  const k8sVersion = (versions.kubernetes ?? '').split('@')[1];
  if (!k8sVersion) throw new SandboxError('IMAGE_BUILD_FAILED', 'the "kubernetes" component did not report the k8s.io/kubernetes version');
  const expected = await kubeadmImages(binDir, k8sVersion);
  const pauseRef = expected.get('pause');
  if (!pauseRef) throw new SandboxError('IMAGE_BUILD_FAILED', 'kubeadm lists no pause image');
  await buildPause(componentsDir, binDir, pauseRef.slice(pauseRef.lastIndexOf(':') + 1), say);

  const suffix = options.tag.slice(options.tag.indexOf(':') + 1);
  const spec = JSON.parse(await readFile(path.join(options.dir, 'preload/images.json'), 'utf8')) as { images: PreloadSpec[] };
  const renames: Array<[string, string]> = [];
  const preloadTags: string[] = [];
  const scratch = await mkdtemp(path.join(tmpdir(), 'praxis-k8s-'));
  try {
    // 2. Images to preload.
    for (const image of spec.images) {
      const context = path.join(scratch, image.name);
      for (const f of await listFiles(path.join(options.dir, 'preload', image.name))) await place(path.join(options.dir, 'preload', image.name, f), path.join(context, f));
      for (const b of image.binaries) await place(path.join(binDir, b), path.join(context, 'bin', b));
      const tag = `praxis-k8s-preload-${image.name}:${suffix}`;
      say(`preload image ${image.name}`);
      await buildContext(docker, context, tag, { BASE: options.baseImage }, say);
      preloadTags.push(tag);
      for (const ref of image.refs) {
        const target = ref.startsWith('kubeadm:') ? expected.get(ref.slice('kubeadm:'.length)) : ref;
        if (!target) throw new SandboxError('IMAGE_BUILD_FAILED', `preload/images.json: kubeadm lists no image "${ref.slice(8)}" (it lists ${[...expected.values()].join(', ')})`);
        renames.push([`docker.io/library/${tag}`, target]);
      }
    }
    const missing = [...expected.values()].filter((ref) => !renames.some(([, to]) => to === ref));
    if (missing.length) throw new SandboxError('IMAGE_BUILD_FAILED', `kubeadm expects images that preload/images.json does not build: ${missing.join(', ')}`);

    // 3. The node image with the binaries.
    const nodeContext = path.join(scratch, '_node');
    for (const f of await listFiles(options.dir)) {
      if (f.startsWith('components/') || f.startsWith('preload/')) continue;
      await place(path.join(options.dir, f), path.join(nodeContext, f));
    }
    for (const b of ['kubelet', 'kubeadm', 'kubectl', 'crictl', 'etcdctl']) await place(path.join(binDir, b), path.join(nodeContext, 'bin', b));
    for (const f of await readdir(path.join(binDir, 'cni'))) await place(path.join(binDir, 'cni', f), path.join(nodeContext, 'bin/cni', f));
    await writeGatewayCrds(componentsDir, path.join(nodeContext, 'rootfs/etc/kubernetes/addons/gateway-api-crds.yaml'), say);
    await writeTraefikCrds(componentsDir, path.join(nodeContext, 'rootfs/etc/kubernetes/addons/traefik-crds.yaml'), say);
    await downloadWheels(path.join(options.dir, 'python-requirements.txt'), path.join(nodeContext, 'wheels'), say);
    const stageTag = `praxis-k8s-stage:${suffix}`;
    say('node image');
    await buildContext(docker, nodeContext, stageTag, { BASE: options.baseImage, NODE_IMAGE: options.nodeImage }, say);

    // 4. Preload into containerd inside a node-like container.
    say(`preloading ${renames.length} image names into containerd`);
    const preloader = await docker.createContainer({
      name: `praxis-k8s-preloader-${suffix}-${process.pid}`,
      Image: stageTag,
      Cmd: ['sleep', 'infinity'],
      Labels: { 'praxis.role': 'image-build' },
      HostConfig: { NetworkMode: 'none', CapAdd: PRELOADER_CAPS, SecurityOpt: ['no-new-privileges'] },
    });
    try {
      await preloader.start();
      const exec = await preloader.exec({ Cmd: ['sh', '-c', preloadScript(renames)], AttachStdin: true, AttachStdout: true, AttachStderr: true });
      const stream = await exec.start({ hijack: true, stdin: true });
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on('data', (c: Buffer) => chunks.push(c));
      docker.modem.demuxStream(stream, out, out);
      const saved = await saveImages(docker, preloadTags);
      const shift = await savedOwnerShift(docker);
      if (shift !== undefined) say(`the engine's saved layers carry remapped owners (from ${shift}): rewriting them for containerd`);
      const save = shift === undefined ? saved : await unshiftSavedImages(saved, await mkdtemp(path.join(scratch, 'save-')), shift);
      save.pipe(stream);
      await new Promise<void>((resolve, reject) => {
        stream.on('end', resolve);
        stream.on('close', resolve);
        stream.on('error', reject);
        save.on('error', reject);
      });
      const info = await exec.inspect();
      const text = Buffer.concat(chunks).toString('utf8');
      if (info.ExitCode !== 0) throw new SandboxError('IMAGE_BUILD_FAILED', `preloading images into containerd failed (exit ${info.ExitCode}): ${text.trim().slice(-1500)}`);
      say(`containerd holds: ${text.split('\n').map((l) => l.trim()).filter((l) => /^[a-z0-9.-]+\//.test(l)).join(', ')}`);
      await preloader.stop({ t: 1 }).catch(() => undefined);
      // 5. The committed preloader is the image, with the stage image's command (the preloader
      // itself ran `sleep`).
      say('committing the node image');
      const cmd = (await docker.getImage(stageTag).inspect()).Config.Cmd ?? [];
      await preloader.commit({
        repo: options.tag.slice(0, options.tag.indexOf(':')),
        tag: suffix,
        comment: 'praxis k8s node with preloaded images',
        changes: `CMD ${JSON.stringify(cmd)}`,
      });
    } finally {
      await preloader.remove({ force: true }).catch(() => undefined);
    }
  } finally {
    await rm(scratch, { recursive: true, force: true });
    for (const t of preloadTags) await docker.getImage(t).remove().catch(() => undefined);
    await docker.getImage(`praxis-k8s-stage:${suffix}`).remove().catch(() => undefined);
  }
  say(`${options.tag} built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/**
 * The Gateway API's standard CRDs, from the sigs.k8s.io/gateway-api module at the version the
 * Traefik component resolves (its Gateway provider is written against it), as one manifest.
 */
async function writeGatewayCrds(componentsDir: string, target: string, say: (m: string) => void): Promise<void> {
  const cwd = path.join(componentsDir, 'traefik');
  const mod = await run('go', ['list', '-m', '-f', '{{.Dir}} {{.Version}}', 'sigs.k8s.io/gateway-api'], cwd);
  const [dir, version] = mod.output.trim().split(' ');
  const crds = dir ? path.join(dir, 'config/crd/standard') : '';
  const files = mod.code === 0 && crds ? (await readdir(crds).catch(() => [])).filter((f) => f.endsWith('.yaml')).sort() : [];
  if (files.length === 0) throw new SandboxError('IMAGE_BUILD_FAILED', `the Gateway API CRDs were not found in sigs.k8s.io/gateway-api (${mod.output.trim()})`);
  const parts = await Promise.all(files.map((f) => readFile(path.join(crds, f), 'utf8')));
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, `# Gateway API ${version} standard CRDs (sigs.k8s.io/gateway-api), written by the image step.\n${parts.map((p) => p.replace(/^---\n/, '')).join('\n---\n')}`);
  say(`Gateway API ${version} CRDs: ${files.length} files`);
}

/**
 * Traefik's own CRDs (Middleware, IngressRoute, ...) from the Traefik module the component builds,
 * so an Ingress can name a Middleware (strip or rewrite a path) and Traefik's CRD provider serves it.
 */
async function writeTraefikCrds(componentsDir: string, target: string, say: (m: string) => void): Promise<void> {
  const cwd = path.join(componentsDir, 'traefik');
  const mod = await run('go', ['list', '-m', '-f', '{{.Dir}} {{.Version}}', 'github.com/traefik/traefik/v3'], cwd);
  const [dir, version] = mod.output.trim().split(' ');
  const file = dir ? path.join(dir, 'docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml') : '';
  const text = mod.code === 0 && file ? await readFile(file, 'utf8').catch(() => '') : '';
  if (!text.includes('kind: CustomResourceDefinition')) throw new SandboxError('IMAGE_BUILD_FAILED', `Traefik's CRDs were not found in github.com/traefik/traefik/v3 (${mod.output.trim()})`);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, `# Traefik ${version} CRDs (github.com/traefik/traefik/v3), written by the image step.\n${text}`);
  say(`Traefik ${version} CRDs`);
}

/**
 * The node image's Python packages, downloaded with the host's pip: build containers on these
 * machines reach Debian's mirror but not PyPI's TLS endpoint through the proxy.
 */
async function downloadWheels(requirements: string, into: string, say: (m: string) => void): Promise<void> {
  await mkdir(into, { recursive: true });
  const r = await run('python3', ['-m', 'pip', 'download', '--no-deps', '--only-binary=:all:', '--disable-pip-version-check', '-r', requirements, '-d', into]).catch(
    (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new SandboxError('PYTHON_MISSING', 'the k8s node image downloads its Python packages with the host\'s pip: install python3 and python3-pip');
      throw error;
    },
  );
  if (r.code !== 0) throw new SandboxError('IMAGE_BUILD_FAILED', `pip could not download ${requirements}:\n${r.output.trim().split('\n').slice(-4).join('\n')}`);
  say(`python packages: ${(await readdir(into)).join(', ')}`);
}

/** `docker save` of several images as one tar stream (GET /images/get?names=...). */
function saveImages(docker: Docker, names: string[]): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => {
    docker.modem.dial(
      { path: '/images/get?', method: 'GET', options: { names }, isStream: true, statusCodes: { 200: true, 500: 'server error' } },
      (err, stream) => (err ? reject(err) : resolve(stream as NodeJS.ReadableStream)),
    );
  });
}
