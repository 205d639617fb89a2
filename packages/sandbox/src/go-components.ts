// Third-party programs built from their published Go modules on the host (Kubernetes, etcd,
// CoreDNS, cri-tools, the CNI plugins, Traefik). Each component is a folder with a go.mod that
// pins its module versions (the one place a version is written) and lists the programs to build
// as `tool` directives, so one `go build ... tool` per component compiles them together and the
// packages they share compile once. Go's own build and module caches are kept across clones
// (GOCACHE/GOMODCACHE, Go's defaults unless set); the binaries of one set of inputs are kept in
// a cache folder named by their hash, so an unchanged set is never rebuilt.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SandboxError } from './instance.types';

/** Per-component build settings beside the go.mod: `component.json`. */
interface ComponentSettings {
  /** -ldflags; `{version:<module>}` becomes that module's version from go.mod (see expandLdflags). */
  ldflags?: string;
  /** Output names to change after the build, e.g. {"server": "etcd"} for go.etcd.io/etcd/server/v3. */
  rename?: Record<string, string>;
  /** A sub-folder of the output folder for this component's programs (e.g. "cni"). */
  outSubdir?: string;
}

export interface ComponentProgress {
  component: string;
  message: string;
}

export interface BuildComponentsOptions {
  /** Folder of the binaries; each set of inputs gets `<cacheDir>/<hash>/`. */
  cacheDir: string;
  onProgress?: (p: ComponentProgress) => void;
  /** Environment for `go` (defaults to this process's). */
  env?: NodeJS.ProcessEnv;
}

interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

function runGo(args: string[], cwd: string, env: NodeJS.ProcessEnv, onLine?: (line: string) => void): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => {
      const text = c.toString();
      stderr = (stderr + text).slice(-64 * 1024);
      if (onLine) for (const l of text.split('\n')) if (l) onLine(l);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') {
        reject(
          new SandboxError(
            'GO_MISSING',
            'the Kubernetes image builds its components from Go modules, but "go" is not installed (Go 1.26 or newer: https://go.dev/dl)',
          ),
        );
      } else reject(error);
    });
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** The first `module@version` an error names, for a message that says what could not be fetched. */
export function moduleInError(stderr: string): string | undefined {
  const m = /([a-z0-9.-]+\.[a-z]{2,}(?:\/[A-Za-z0-9._~+-]+)+)@(v[0-9][A-Za-z0-9.+-]*)/.exec(stderr);
  return m ? `${m[1]}@${m[2]}` : undefined;
}

async function listComponentDirs(componentsDir: string): Promise<string[]> {
  const entries = await readdir(componentsDir, { withFileTypes: true });
  const dirs: string[] = [];
  for (const e of entries) {
    if (e.isDirectory() && (await stat(path.join(componentsDir, e.name, 'go.mod')).catch(() => undefined))) dirs.push(e.name);
  }
  // Kubernetes first: it is the largest build, and most of what the others share.
  return dirs.sort((a, b) => (a === 'kubernetes' ? -1 : b === 'kubernetes' ? 1 : a.localeCompare(b)));
}

/** Hash of every component's go.mod, go.sum and settings, and of the Go toolchain's version. */
export async function componentsHash(componentsDir: string, goVersion: string): Promise<string> {
  const hash = createHash('sha256').update(goVersion);
  for (const dir of await listComponentDirs(componentsDir)) {
    for (const file of ['go.mod', 'go.sum', 'component.json']) {
      const bytes = await readFile(path.join(componentsDir, dir, file)).catch(() => undefined);
      if (bytes) hash.update(`${dir}/${file}\0`).update(bytes).update('\0');
    }
  }
  return hash.digest('hex').slice(0, 16);
}

async function readSettings(dir: string): Promise<ComponentSettings> {
  const text = await readFile(path.join(dir, 'component.json'), 'utf8').catch(() => undefined);
  return text ? (JSON.parse(text) as ComponentSettings) : {};
}

/** `{version:m}`, `{major:m}`, `{minor:m}`: module m's version, or its major/minor number. */
export function expandLdflags(ldflags: string, versions: ReadonlyMap<string, string>): string {
  return ldflags.replace(/\{(version|major|minor):([^}]+)\}/g, (_, part: string, mod: string) => {
    const v = versions.get(mod) ?? 'unknown';
    const m = /^v(\d+)\.(\d+)/.exec(v);
    if (part === 'major') return m?.[1] ?? '';
    if (part === 'minor') return m?.[2] ?? '';
    return v;
  });
}

/** Module versions a component's go.mod resolves, for ldflags and the build summary. */
async function moduleVersions(dir: string, env: NodeJS.ProcessEnv): Promise<Map<string, string>> {
  const r = await runGo(['list', '-m', '-f', '{{.Path}} {{.Version}}', 'all'], dir, env);
  if (r.code !== 0) throw fetchError(path.basename(dir), r.stderr);
  const out = new Map<string, string>();
  for (const line of r.stdout.split('\n')) {
    const [mod, version] = line.split(' ');
    if (mod && version) out.set(mod, version);
  }
  return out;
}

function fetchError(component: string, stderr: string): SandboxError {
  const mod = moduleInError(stderr);
  const last = stderr.trim().split('\n').slice(-3).join('\n');
  return new SandboxError(
    'MODULE_UNAVAILABLE',
    mod
      ? `component "${component}": module ${mod} could not be fetched from the Go module proxy:\n${last}`
      : `component "${component}": go failed:\n${last}`,
  );
}

/**
 * Builds every component under `componentsDir` (unless this set of inputs was built before) and
 * returns the folder holding the binaries, plus the main module version of each component.
 */
export async function buildGoComponents(componentsDir: string, options: BuildComponentsOptions): Promise<{ binDir: string; versions: Record<string, string> }> {
  const env: NodeJS.ProcessEnv = { ...(options.env ?? process.env), CGO_ENABLED: '0', GOFLAGS: '-mod=readonly', GOTOOLCHAIN: 'local' };
  const say = (component: string, message: string) => options.onProgress?.({ component, message });
  const goVersion = (await runGo(['version'], componentsDir, env)).stdout.trim();
  const hash = await componentsHash(componentsDir, goVersion);
  const binDir = path.join(options.cacheDir, hash);
  const versionsFile = path.join(binDir, 'versions.json');
  const cached = await readFile(versionsFile, 'utf8').catch(() => undefined);
  if (cached) {
    say('all', `components ${hash} already built (${binDir})`);
    return { binDir, versions: JSON.parse(cached) as Record<string, string> };
  }
  const work = `${binDir}.partial`;
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  const versions: Record<string, string> = {};
  const started = Date.now();
  say('all', `${goVersion}; building into ${binDir}`);

  // Every component's modules are fetched at once, from the start: fetching waits on the network,
  // compiling on the CPU, so the later components' downloads overlap the earlier builds. Builds
  // run one at a time: each `go build` already keeps every core busy.
  const components = await listComponentDirs(componentsDir);
  const downloads = new Map(
    components.map((component) => {
      const t0 = Date.now();
      const done = runGo(['mod', 'download'], path.join(componentsDir, component), env).then((r) => ({ ...r, seconds: Math.round((Date.now() - t0) / 1000) }));
      done.catch(() => undefined); // awaited in the loop below; a later one may fail before it is reached
      return [component, done] as const;
    }),
  );
  say('all', `downloading the modules of ${components.join(', ')}`);
  for (const component of components) {
    const dir = path.join(componentsDir, component);
    const settings = await readSettings(dir);
    const download = await downloads.get(component)!;
    if (download.code !== 0) throw fetchError(component, download.stderr);
    say(component, `modules downloaded (${download.seconds} s)`);
    const t0 = Date.now();
    const mods = await moduleVersions(dir, env);
    const tools = (await runGo(['list', 'tool'], dir, env)).stdout.split('\n').filter(Boolean);
    const main = tools[0] ? [...mods.keys()].filter((m) => tools[0]!.startsWith(m)).sort((a, b) => b.length - a.length)[0] : undefined;
    versions[component] = main ? `${main}@${mods.get(main)}` : 'unknown';
    const deps = await runGo(['list', '-deps', 'tool'], dir, env);
    const total = deps.stdout.split('\n').filter(Boolean).length;
    const ldflags = `-s -w ${expandLdflags(settings.ldflags ?? '', mods)}`.trim();
    const out = path.join(work, settings.outSubdir ?? '');
    await mkdir(out, { recursive: true });
    say(component, `go build of ${tools.length} program(s), ${total} packages (${versions[component]})`);
    let compiled = 0;
    let lastReport = Date.now();
    const build = await runGo(['build', '-v', '-trimpath', `-ldflags=${ldflags}`, '-o', `${out}/`, 'tool'], dir, env, (line) => {
      if (line.startsWith('go: ') || line.includes(' ') || line.startsWith('#')) return;
      compiled++;
      if (Date.now() - lastReport > 20_000) {
        lastReport = Date.now();
        say(component, `compiled ${compiled}/${total} packages (${Math.round((Date.now() - t0) / 1000)} s)`);
      }
    });
    if (build.code !== 0) throw fetchError(component, build.stderr);
    for (const [from, to] of Object.entries(settings.rename ?? {})) await rename(path.join(out, from), path.join(out, to));
    say(component, `built in ${Math.round((Date.now() - t0) / 1000)} s`);
  }
  await writeFile(path.join(work, 'versions.json'), JSON.stringify(versions, null, 2));
  await rm(binDir, { recursive: true, force: true });
  await rename(work, binDir);
  say('all', `all components built in ${Math.round((Date.now() - started) / 1000)} s`);
  return { binDir, versions };
}
