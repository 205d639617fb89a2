// Lab images: a node image plus the Debian packages a lab names (`packages:` in lab.yaml), built
// once per engine and tagged `praxis-lab:<hash of the node image's tag and the sorted package
// list>`, so every later instance of that lab (of any lab naming the same list) starts from it.
// The build is one RUN step on the node image, so a failed install commits nothing: there is never
// a half image under the tag. Nothing here hard-codes a mirror: apt uses the sources the node image
// was built with (its base came from the host's Debian mirror, infra/scripts/ensure-base-image.sh).
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type Docker from 'dockerode';
import tar from 'tar-stream';
import { parseTopology, type Topology } from '@praxis/topology';
import { imageExists, readImageBytes, resolveImages, type ImageOptions } from './images';
import { SandboxError } from './instance.types';

export const LAB_IMAGE_REPO = 'praxis-lab';

/** Labels of a lab image: what it was built from (operators list them with `docker images --filter label=...`). */
export const LAB_IMAGE_LABEL = {
  base: 'praxis.lab-image.base',
  packages: 'praxis.lab-image.packages',
} as const;

/** What the packages may add to the node image, by default: a lab image is a few tools. */
export const DEFAULT_LAB_IMAGE_MAX_ADDED_MB = 1024;

/** Changes when the recipe below does, so images built by an older recipe are not reused. */
const RECIPE = 'praxis-lab/1';

export interface LabImageOptions {
  /** The lab's id, named in progress and errors. */
  lab?: string;
  /** One line per build step and per package set up. */
  onProgress?: (message: string) => void;
  /** A build that adds more than this to the node image is removed and refused. */
  maxAddedMb?: number;
}

/** `praxis-lab:<12 hex>` from the node image's content tag and the package list (order and repeats do not matter). */
export function labImageTag(baseTag: string, packages: readonly string[]): string {
  const list = [...new Set(packages)].sort();
  const hash = createHash('sha256').update(`${RECIPE}\0${baseTag}\0${list.join('\n')}`).digest('hex');
  return `${LAB_IMAGE_REPO}:${hash.slice(0, 12)}`;
}

/** The Dockerfile of a lab image: FROM the node image, one RUN (all or nothing), then labels. */
export function labImageDockerfile(baseTag: string, packages: readonly string[]): string {
  const list = [...new Set(packages)].sort();
  // The names passed the topology's Debian-name check, so they are safe shell words; asserted
  // again here because this text becomes a shell command.
  for (const p of list) if (!/^[a-z0-9][a-z0-9+.-]+$/.test(p)) throw new SandboxError('LAB_IMAGE_PACKAGE_INVALID', `"${p}" is not a Debian package name`);
  const install = [
    'set -e',
    // Daemons a package would start (nginx, ssh, chrony) stay stopped in the build: policy-rc.d.
    "printf '#!/bin/sh\\nexit 101\\n' >/usr/sbin/policy-rc.d && chmod 0755 /usr/sbin/policy-rc.d",
    'apt-get -o Acquire::Retries=2 -o Acquire::http::Timeout=30 update -qq',
    `DEBIAN_FRONTEND=noninteractive apt-get -o Acquire::Retries=2 -o Acquire::http::Timeout=30 install -y --no-install-recommends ${list.join(' ')}`,
    'rm -f /usr/sbin/policy-rc.d',
    'apt-get clean',
    'rm -rf /var/lib/apt/lists/*',
  ].join(' \\\n && ');
  return [
    `FROM ${baseTag}`,
    `RUN ${install}`,
    `LABEL ${LAB_IMAGE_LABEL.base}="${baseTag}" ${LAB_IMAGE_LABEL.packages}="${list.join(' ')}"`,
    '',
  ].join('\n');
}

const building = new WeakMap<Docker, Map<string, Promise<string>>>();

/**
 * The lab image of `packages` on `baseTag`, built when missing (`built` says whether this call
 * built it). Concurrent calls for one tag on one engine share one build.
 */
export async function ensureLabImage(
  docker: Docker,
  baseTag: string,
  packages: readonly string[],
  options: LabImageOptions & { nodes?: string[] } = {},
): Promise<{ tag: string; built: boolean }> {
  const tag = labImageTag(baseTag, packages);
  if (await imageExists(docker, tag)) return { tag, built: false };
  let perEngine = building.get(docker);
  if (!perEngine) building.set(docker, (perEngine = new Map()));
  const running = perEngine.get(tag);
  if (running) {
    options.onProgress?.(`waiting for the lab image ${tag}, already being built`);
    await running;
    return { tag, built: false };
  }
  const build = buildLabImage(docker, baseTag, packages, tag, options).finally(() => perEngine.delete(tag));
  perEngine.set(tag, build);
  await build;
  return { tag, built: true };
}

async function buildLabImage(docker: Docker, baseTag: string, packages: readonly string[], tag: string, options: LabImageOptions & { nodes?: string[] }): Promise<string> {
  const list = [...new Set(packages)].sort();
  const who = [options.lab ? `lab "${options.lab}"` : '', options.nodes?.length ? `node${options.nodes.length > 1 ? 's' : ''} ${options.nodes.map((n) => `"${n}"`).join(', ')}` : '']
    .filter(Boolean)
    .join(', ');
  const say = (m: string) => options.onProgress?.(m);
  say(`building the lab image ${tag}${who ? ` for ${who}` : ''}: ${list.join(' ')} on ${baseTag} (once; later instances reuse it)`);
  const t0 = performance.now();
  const output: string[] = [];
  let outputChars = 0;
  {
    const context = await packDockerfile(labImageDockerfile(baseTag, list));
    const stream = await docker.buildImage(Readable.from([context]), { t: tag, rm: true, forcerm: true });
    let fetched = 0;
    const readLine = (raw: string) => {
      // The builder colours the RUN step's stderr (ESC[91m ... ESC[0m): plain text kept.
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '').trim();
      if (!line) return;
      // Kept for the error message (bounded: apt can print a lot).
      if (outputChars < 200_000) {
        output.push(line);
        outputChars += line.length;
      }
      if (/^Get:\d+ /.test(line)) {
        fetched += 1;
        if (fetched === 1 || fetched % 10 === 0) say(`downloading packages (${fetched} fetched)`);
      } else if (/^Setting up /.test(line)) say(line.replace(/ \.\.\.$/, ''));
    };
    // A line can arrive in pieces (stdout and stderr interleave: "E", ":", " Unable to locate
    // package x"): text is cut into lines only at newlines, the unfinished rest kept.
    let pending = '';
    const failure = await new Promise<string | undefined>((resolve) => {
      docker.modem.followProgress(
        stream,
        (err: Error | null, events: Array<{ error?: string }>) => {
          readLine(pending);
          resolve(err?.message ?? events.find((e) => e.error)?.error);
        },
        (event: { stream?: string; error?: string }) => {
          const lines = (pending + (event.stream ?? (event.error ? `${event.error}\n` : ''))).split('\n');
          pending = lines.pop() ?? '';
          lines.forEach(readLine);
        },
      );
    });
    if (failure) throw describeBuildFailure(tag, list, who, failure, output);

    const [added, base] = await Promise.all([readImageBytes(docker, tag), readImageBytes(docker, baseTag)]);
    const addedMb = Math.ceil((added - base) / (1024 * 1024));
    const max = options.maxAddedMb ?? DEFAULT_LAB_IMAGE_MAX_ADDED_MB;
    if (addedMb > max) {
      // The image is this build's own (its tag is new): removed, so nothing half-accepted stays.
      await docker.getImage(tag).remove({ force: true }).catch(() => undefined);
      throw new SandboxError(
        'LAB_IMAGE_TOO_LARGE',
        `${who ? `${who}: ` : ''}the packages ${list.join(' ')} add ${addedMb} MB to the node image, more than the ${max} MB a lab image may add; name fewer or smaller packages`,
      );
    }
    say(`lab image ${tag} built in ${((performance.now() - t0) / 1000).toFixed(1)} s (+${addedMb} MB)`);
    return tag;
  }
}

/** The build context: the Dockerfile alone, packed in memory. */
function packDockerfile(text: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const pack = tar.pack();
    pack.on('data', (c: unknown) => chunks.push(c as Buffer));
    pack.on('end', () => resolve(Buffer.concat(chunks)));
    pack.on('error', reject);
    pack.entry({ name: 'Dockerfile', mode: 0o644 }, text, (error) => (error ? reject(error) : pack.finalize()));
  });
}

/** A clear error from apt's own words (`output`: the build's lines): which package is unknown, or that the mirror did not answer. */
export function describeBuildFailure(tag: string, packages: string[], who: string, failure: string, output: string[]): SandboxError {
  const prefix = who ? `${who}: ` : '';
  // apt's stdout and stderr interleave: "Reading state information...E: Unable to locate
  // package x" is one line when stderr cuts in before stdout's newline, so not anchored.
  const unknown = new Set<string>();
  let said: string | undefined;
  for (const line of output) {
    const m = /E: Unable to locate package (\S+)/.exec(line) ?? /E: Package '([^']+)' has no installation candidate/.exec(line);
    if (!m) continue;
    unknown.add(m[1]!);
    said ??= m[0];
  }
  if (unknown.size > 0) {
    const names = [...unknown];
    return new SandboxError(
      'LAB_IMAGE_PACKAGE_UNKNOWN',
      `${prefix}Debian has no package ${names.map((n) => `"${n}"`).join(', ')} to install (apt-get: ${said}); check the name (https://packages.debian.org) and fix packages: in lab.yaml. The lab image ${tag} was not built.`,
      { packages: names },
    );
  }
  if (output.some((l) => /Temporary failure resolving|Could not resolve|Failed to fetch|Unable to connect|Connection timed out/.test(l))) {
    const line = output.find((l) => /^(W|E): /.test(l)) ?? failure;
    return new SandboxError(
      'LAB_IMAGE_MIRROR_UNREACHABLE',
      `${prefix}building the lab image ${tag} (${packages.join(' ')}) needs the Debian mirror of the node image, which did not answer: ${line}. Nothing was built; try again when the mirror answers.`,
    );
  }
  // The builder's own last line repeats the whole RUN command: apt's last words say more.
  const last = output.filter((l) => !/^(Step \d|--->|Removing intermediate|The command )/.test(l)).slice(-4).join(' | ');
  const code = /returned a non-zero code: (\d+)/.exec(failure)?.[1];
  return new SandboxError(
    'LAB_IMAGE_BUILD_FAILED',
    `${prefix}building the lab image ${tag} (${packages.join(' ')}) failed${code ? ` (apt-get exited with ${code})` : `: ${failure}`}${last ? `: ${last}` : ''}. Nothing was built.`,
  );
}

/**
 * The image of every node of a topology: its content tag (`praxis-node:<hash>`,
 * `praxis-k8s:<hash>`), or its lab image when it names packages, built here when missing. Also the
 * general node image (the fabric's and the graders' fallback).
 */
export async function resolveNodeImages(
  docker: Docker,
  topology: Topology,
  options: ImageOptions & LabImageOptions = {},
): Promise<{ node: string; byNode: Record<string, string>; baseByNode: Record<string, string> }> {
  const images = await resolveImages(docker, ['node', ...topology.nodes.map((n) => n.image)], options);
  const baseByNode = Object.fromEntries(topology.nodes.map((n) => [n.name, images[n.image]!]));
  const byNode = { ...baseByNode };
  // Nodes with the same base and packages share one image (and one build).
  const wanted = new Map<string, { base: string; packages: string[]; nodes: string[] }>();
  for (const n of topology.nodes) {
    if (!n.packages.length) continue;
    const key = labImageTag(baseByNode[n.name]!, n.packages);
    const entry = wanted.get(key) ?? { base: baseByNode[n.name]!, packages: n.packages, nodes: [] };
    entry.nodes.push(n.name);
    wanted.set(key, entry);
  }
  // One build at a time: apt on two cores is CPU- and disk-bound anyway.
  for (const w of wanted.values()) {
    const { tag } = await ensureLabImage(docker, w.base, w.packages, { ...options, nodes: w.nodes });
    for (const n of w.nodes) byNode[n] = tag;
  }
  return { node: images.node!, byNode, baseByNode };
}

/**
 * Builds the lab images a topology needs ahead of any instance (`lab test`, a bank import), so the
 * first learner does not wait for apt; returns the lab images' tags (none: the topology names no
 * packages, and nothing was asked of the engine).
 */
export async function prepareLabImages(docker: Docker, input: unknown, options: ImageOptions & LabImageOptions = {}): Promise<string[]> {
  const topology = parseTopology(input);
  if (!topology.nodes.some((n) => n.packages.length > 0)) return [];
  const { byNode, baseByNode } = await resolveNodeImages(docker, topology, options);
  return [...new Set(topology.nodes.filter((n) => byNode[n.name] !== baseByNode[n.name]).map((n) => byNode[n.name]!))];
}
