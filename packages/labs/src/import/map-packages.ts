// Software an imported scenario installs or takes for granted, for nodes that have no route off
// the host: `apt-get install X` lines (setup and solution scripts) and the tools an Ubuntu-style
// host has that Praxis's Debian node image lacks (python3, nginx, chrony, openssh...) become the
// node's `packages:`, installed into its lab image (docs/lab-format.md, "Packages"). The install
// lines themselves become no-ops (`: apt-get install ...`, kept readable), so the rest runs.
import { DEBIAN_PACKAGE } from '@praxis/topology';
import type { ImportNote } from './import.types';

/**
 * Commands of an Ubuntu host (or commonly installed by scenarios) that the node image lacks, and
 * the Debian package that brings each. The node image's own tools (iproute2, iptables, curl, jq,
 * dig, tcpdump, socat, nc, vim, tmux...) are not here: docs/lab-format.md, "Topology".
 */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
  python3: 'python3',
  python: 'python-is-python3',
  pip3: 'python3-pip',
  pip: 'python3-pip',
  nginx: 'nginx',
  apache2: 'apache2',
  chronyc: 'chrony',
  chronyd: 'chrony',
  sshd: 'openssh-server',
  'ssh-keygen': 'openssh-client',
  man: 'man-db',
  tree: 'tree',
  bc: 'bc',
  file: 'file',
  git: 'git',
  make: 'make',
  gcc: 'gcc',
  wget: 'wget',
  nmap: 'nmap',
  telnet: 'telnet',
  ncat: 'ncat',
  htop: 'htop',
  unzip: 'unzip',
  zip: 'zip',
  'redis-server': 'redis-server',
  'redis-cli': 'redis-tools',
  mysql: 'default-mysql-client',
  psql: 'postgresql-client',
  sqlite3: 'sqlite3',
  ntpdate: 'ntpsec-ntpdate',
  haproxy: 'haproxy',
  iperf3: 'iperf3',
  mtr: 'mtr-tiny',
  whois: 'whois',
  lsof: 'lsof',
  strace: 'strace',
  ipcalc: 'ipcalc',
  hping3: 'hping3',
  sudo: 'sudo',
};

/**
 * Packages the node image already has (infra/images/node/Dockerfile; map-packages.test.ts keeps
 * the two in step): installing them again would only cost a lab image.
 */
export const NODE_IMAGE_PACKAGES: ReadonlySet<string> = new Set(
  `iproute2 iptables nftables iputils-ping iputils-arping procps net-tools dnsutils dnsmasq
   tcpdump curl netcat-openbsd bridge-utils containernetworking-plugins less vim tmux
   ethtool traceroute socat psmisc util-linux kmod ca-certificates bash-completion jq
   etcd-server busybox conntrack`.split(/\s+/),
);

/**
 * Tools a check does not need in the grader (it runs as root). `ssh`/`scp` are in no list: a
 * scenario's `ssh node01` hops to another host, which a lab gives its own terminal instead.
 */
const NOT_FOR_CHECKS = new Set(['sudo']);

/** Packages whose daemon an Ubuntu host's systemd starts on install; a Praxis node has no systemd. */
const DAEMONS: Readonly<Record<string, string>> = {
  nginx: 'nginx',
  apache2: 'apachectl start',
  'openssh-server': 'mkdir -p /run/sshd && /usr/sbin/sshd',
  chrony: 'chronyd',
  'redis-server': 'redis-server --daemonize yes',
  haproxy: 'haproxy -D -f /etc/haproxy/haproxy.cfg',
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A command word at a command position (line start, after ; && || | ( $( ` then do sudo ...). */
const TOOL_AT_COMMAND = new RegExp(
  // The command position is a lookbehind, so `sudo chronyc` finds both words.
  `(?<=(?:^|[;&|(\`]|\\$\\(|\\b(?:then|do|else|sudo|exec|time|if|while|until|!)\\s)\\s*)(${Object.keys(TOOL_PACKAGES)
    .sort((a, b) => b.length - a.length)
    .map(escape)
    .join('|')})(?=$|[\\s;&|)\`])`,
  'g',
);
/** `[sudo] [VAR=x ...] apt-get|apt [-opts] install|update|upgrade ARGS` up to the next ; & | ) or #. */
const APT_COMMAND = /(^|[;&|(`]\s*|\$\(\s*|\b(?:then|do|else)\s+)((?:sudo\s+(?:-\S+\s+)*)?(?:[A-Z_]+=\S*\s+)*(?:apt-get|apt)\s+(?:-\S+\s+)*(install|update|upgrade|dist-upgrade|full-upgrade)\b[^;&|)#\n]*)/g;

export interface MappedSoftware {
  /** The script with its apt commands turned into no-ops (unchanged when `rewrite` is false). */
  text: string;
  /** Debian packages the script installs or uses, sorted. */
  packages: string[];
}

/**
 * Reads one script of the source: what it installs with apt (those lines made no-ops when
 * `rewrite`), and which tools it runs that the node image lacks. Notes name the file and line.
 */
export function mapSoftware(text: string, source: string, node: string, notes: ImportNote[], options: { rewrite: boolean }): MappedSoftware {
  // A setup or solution script that reaches another host by ssh does not work between nodes.
  if (options.rewrite) {
    text.split('\n').forEach((raw, i) => {
      if (!/^\s*#/.test(raw) && /(^|[\s;&|(])ssh\s+\S/.test(raw)) {
        notes.push({ kind: 'review', source, line: i + 1, message: 'runs a command on another host by ssh: lab nodes do not ssh to each other; give that node a setup script (or solution step) of its own' });
      }
    });
  }
  const found = new Set<string>();
  const lines = text.split('\n').map((raw, i) => {
    if (/^\s*#/.test(raw)) return raw;
    let line = raw;
    if (options.rewrite) {
      line = raw.replace(APT_COMMAND, (_m, lead: string, command: string, verb: string) => {
        if (verb === 'install') {
          const named = aptInstallArgs(command);
          for (const p of named.packages) if (!NODE_IMAGE_PACKAGES.has(p)) found.add(p);
          notes.push({
            kind: 'adapted',
            source,
            line: i + 1,
            message: `\`${command.trim()}\`: ${describeInstalled(named.packages, node)}; the command is now a no-op (\`:\`)${named.skipped.length ? `; not understood, add by hand if needed: ${named.skipped.join(' ')}` : ''}`,
          });
        } else {
          notes.push({ kind: 'adapted', source, line: i + 1, message: `\`${command.trim()}\` needs the internet: it is now a no-op (\`:\`); the lab image has the packages` });
        }
        return `${lead}: ${command.trimStart()}`;
      });
    }
    for (const m of line.matchAll(TOOL_AT_COMMAND)) {
      if (!options.rewrite && NOT_FOR_CHECKS.has(m[1]!)) continue;
      const pkg = TOOL_PACKAGES[m[1]!]!;
      if (found.has(pkg)) continue;
      found.add(pkg);
      notes.push({ kind: 'mapped', source, line: i + 1, message: `runs \`${m[1]}\`, which the Debian node image lacks: ${pkg} went into packages: of node "${node}"` });
    }
    return line;
  });
  return { text: lines.join('\n'), packages: [...found].sort() };
}

function describeInstalled(packages: string[], node: string): string {
  if (!packages.length) return 'names no package Praxis can read';
  const added = packages.filter((p) => !NODE_IMAGE_PACKAGES.has(p));
  const present = packages.filter((p) => NODE_IMAGE_PACKAGES.has(p));
  return [
    added.length ? `${added.join(', ')} went into packages: of node "${node}" (installed in its lab image; nodes have no route off the host)` : '',
    present.length ? `${present.join(', ')} ${present.length > 1 ? 'are' : 'is'} in the node image already` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/** The package names of an `apt-get install` command (options, versions and architectures removed). */
function aptInstallArgs(command: string): { packages: string[]; skipped: string[] } {
  const words = command.trim().split(/\s+/);
  const at = words.findIndex((w) => w === 'install');
  const packages: string[] = [];
  const skipped: string[] = [];
  for (const w of words.slice(at + 1)) {
    if (w.startsWith('-') || /^\d?>/.test(w) || w === '/dev/null' || /^[A-Z_]+=/.test(w)) continue;
    const name = w.replace(/^["']|["']$/g, '').replace(/[=/].*$/, '').replace(/:[a-z0-9]+$/, '');
    if (DEBIAN_PACKAGE.test(name) && !/[$*?[\]{}]/.test(w)) packages.push(name);
    else skipped.push(w);
  }
  return { packages, skipped };
}

/**
 * Notes for the packages of a node whose daemon an Ubuntu host would have started on install:
 * a Praxis node has no systemd, so setup must start it if the scenario expects it running.
 */
export function noteDaemons(packages: Iterable<string>, node: string, source: string, notes: ImportNote[]): void {
  for (const p of packages) {
    const start = DAEMONS[p];
    if (start) notes.push({ kind: 'review', source, message: `${p} on node "${node}" is installed but its daemon is not running (nodes have no systemd): if the scenario expects it running, start it at the end of setup (\`setsid sh -c '${start}' </dev/null >/dev/null 2>&1\`)` });
  }
}

/**
 * Container images a cluster node has without a registry (infra/images/k8s/preload/images.json;
 * map-packages.test.ts keeps the two in step), plus kubeadm's own `registry.k8s.io/*` images.
 */
export const PRELOADED_IMAGES: ReadonlySet<string> = new Set([
  'docker.io/library/traefik:v3.6',
  'docker.io/library/traefik:latest',
  'docker.io/library/nginx:latest',
  'docker.io/library/nginx:1.22',
  'docker.io/library/busybox:latest',
  'docker.io/library/busybox:1.35',
  'docker.io/praxis/tools:latest',
]);

/** `nginx` -> `docker.io/library/nginx:latest`, as containerd names it. */
function fullImageName(ref: string): string {
  const withTag = /:[^/]+$/.test(ref) || ref.includes('@') ? ref : `${ref}:latest`;
  const parts = withTag.split('/');
  if (parts.length === 1) return `docker.io/library/${withTag}`;
  return /[.:]/.test(parts[0]!) || parts[0] === 'localhost' ? withTag : `docker.io/${withTag}`;
}

/**
 * Flags the container images a script of a cluster lab runs (`--image=X`, `image: X`) that the
 * cluster does not have: lab nodes reach no registry, so such a pod never starts.
 */
export function noteImagePulls(text: string, source: string, notes: ImportNote[]): void {
  text.split('\n').forEach((raw, i) => {
    if (/^\s*#/.test(raw)) return;
    for (const m of raw.matchAll(/(?:--image[= ]|\bimage:\s*)["']?([a-z0-9][\w./:@-]*)/gi)) {
      const full = fullImageName(m[1]!);
      if (PRELOADED_IMAGES.has(full) || full.startsWith('registry.k8s.io/')) continue;
      notes.push({ kind: 'review', source, line: i + 1, message: `runs the image ${m[1]}, which the cluster does not have: lab nodes reach no registry, so its pod never starts; use a preloaded image (nginx, busybox, docker.io/praxis/tools: docs/kubernetes.md) or add one to infra/images/k8s/preload` });
    }
  });
}
