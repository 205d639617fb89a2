// Adapting a verify/check script written for the learner's own host to Praxis's trusted grader
// (docs/lab-format.md, "Where checks run"): the grader shares the node's network namespace but not
// its files, binaries or processes. So file paths are read through the node's root (`nodepath`),
// `getent` becomes `node_getent`, `pgrep`/`pidof` see the node's processes (`nodeprocs`),
// `command -v`/`which` look in the node's PATH folders; and every construct that could pass
// falsely (or cannot work) in the grader is flagged for a human with its line.
import type { ImportNote } from './import.types';

/** Folders whose files belong to the node (a learner's home, config, logs, scratch). */
const NODE_PATH = /(?<![\w$.\/-])(~\/|\$HOME\/|\/(?:etc|root|home|var|opt|srv|tmp|usr\/local|run|data|app)(?=[\/\s"';|&)]|$))([\w.@%+,:=\/-]*)/g;

/** Shell words after which the next word is a command name (a path there is a program, not a file). */
const COMMAND_POSITION = /(?:^|[;&|(`]|\$\(|\b(?:then|do|else|elif|if|while|until|!|time|exec|sudo)\s)\s*$/;

interface Flag {
  pattern: RegExp;
  kind: ImportNote['kind'];
  message: string;
}

const FLAGS: Flag[] = [
  { pattern: /(^|[\s;&|(])(touch|rm|mkdir|mv|cp|tee|chmod|chown|ln)\s/, kind: 'review', message: 'changes files: a check must only read (in the grader it writes only its scratch /tmp, never the node)' },
  { pattern: /(^|[^\d&>2])>>?\s*(?!\/dev\/null|&)[^\s]/, kind: 'review', message: 'writes with a redirection: a check must only read (the grader writes only its scratch /tmp)' },
  { pattern: /\bsed\s+(-\w*i|--in-place)/, kind: 'review', message: 'edits a file in place: a check must only read' },
  { pattern: /\b(systemctl|service)\s/, kind: 'review', message: 'asks systemd, which the nodes do not run: look at the process (nodeprocs pgrep) and its listening socket (nodeprocs ss -ltnp) instead' },
  { pattern: /(^|[\s;&|(])ps\s/, kind: 'review', message: '`ps` in the grader lists only the grader\'s processes: use `nodeprocs pgrep -a NAME`' },
  { pattern: /\bhistory\b|\.bash_history/, kind: 'review', message: 'reads the shell history, which the learner can write without doing the task' },
  { pattern: /\bgrep\b[^|]*"\$\(nodepath /, kind: 'review', message: "matches text in a node file: a learner can write the expected text by hand; prove the mechanism (the real consumer's view) where you can" },
  { pattern: /\b(curl|wget|ping|nc|ncat|telnet)\s/, kind: 'review', message: 'tests a symptom (a reply) that a learner can stage with a stand-in: capture the probe where it must arrive (pcap_start, probe_ping, probe_http)' },
  { pattern: /\b(apt|apt-get|pip3?|npm)\s+(install|update)/, kind: 'review', message: 'installs software, which needs the internet: lab nodes have no route off the host' },
  { pattern: /\bkubectl\b/, kind: 'review', message: 'calls kubectl: the grader has the cluster credentials only on a cluster node of a cluster topology' },
  { pattern: /(^|[\s;&|(])ssh\s+\S/, kind: 'review', message: 'reaches another host by ssh, which the grader cannot: give that host its own check (`nodes:`), or read the cluster through kubectl' },
  { pattern: /\bdocker\s/, kind: 'review', message: 'calls docker: the nodes have no Docker engine' },
];

const REWRITES: { pattern: RegExp; replace: string; message: string }[] = [
  { pattern: /(^|[\s;&|(])getent\s/g, replace: '$1node_getent ', message: '`getent` became `node_getent` (the node\'s resolver files, not the grader\'s)' },
  { pattern: /(^|[\s;&|(])(pgrep|pidof)\s/g, replace: '$1nodeprocs $2 ', message: '`pgrep`/`pidof` run under `nodeprocs` (the node\'s processes, not the grader\'s)' },
  { pattern: /(^|[\s;&|(])(ss|netstat)\s+(-\w*p\w*)/g, replace: '$1nodeprocs $2 $3', message: '`ss -p`/`netstat -p` run under `nodeprocs` (process names of the node)' },
  { pattern: /\bcommand\s+-v\s+/g, replace: 'node_command ', message: '`command -v` became `node_command` (the node\'s programs, not the grader\'s)' },
  { pattern: /(^|[\s;&|(])(which|type\s+-p)\s+/g, replace: '$1node_command ', message: '`which` became `node_command` (the node\'s programs, not the grader\'s)' },
];

/** Defined before an adapted script: where a program lives in the node, like `command -v`. */
export const NODE_COMMAND_HELPER = `node_command() {   # the node's program NAME (its path), like command -v in the node
  local d
  for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
    if [ -x "$(nodepath "$d/$1")" ] && [ -f "$(nodepath "$d/$1")" ]; then echo "$d/$1"; return 0; fi
  done
  return 1
}`;

/** Longer lines are kept as they are and flagged: no real check needs them, and they cost time. */
export const MAX_ADAPTED_LINE = 2000;

export interface AdaptedScript {
  /** The script body, rewritten (without the wrapper). */
  text: string;
  notes: ImportNote[];
}

/**
 * For each position of `line`, whether it is inside single quotes (where the shell expands
 * nothing). One pass per line: asking per match from the line's start was quadratic, and an
 * uploaded script of one long line froze the server.
 */
function singleQuotedPositions(line: string): Uint8Array {
  const inside = new Uint8Array(line.length + 1);
  let single = false;
  let double = false;
  for (let i = 0; i < line.length; i++) {
    inside[i] = single ? 1 : 0;
    const c = line[i];
    if (c === '\\' && !single) {
      inside[++i] = 0;
    } else if (c === '"' && !single) double = !double;
    else if (c === "'" && !double) single = !single;
  }
  inside[line.length] = single ? 1 : 0;
  return inside;
}

/** The words before `at` that decide a command position (the last 200 characters are plenty). */
function textBefore(line: string, at: number): string {
  // A cut window starts with "x" so that `^` in COMMAND_POSITION means the line's start only.
  return at > 200 ? `x${line.slice(at - 200, at)}` : line.slice(0, at);
}

/**
 * Rewrites one script line by line; `source` names the file for the notes. With `cluster` (the
 * check's node is a cluster node), kubectl is what the grader runs with the admin credentials.
 */
export function adaptCheckScript(text: string, source: string, options: { cluster?: boolean } = {}): AdaptedScript {
  const notes: ImportNote[] = [];
  const seen = new Set<string>();
  const note = (kind: ImportNote['kind'], line: number, message: string) => {
    const key = `${kind}:${line}:${message}`;
    if (!seen.has(key)) notes.push({ kind, source, line, message });
    seen.add(key);
  };
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out = lines.map((raw, i) => {
    const n = i + 1;
    if (i === 0 && raw.startsWith('#!')) return `# ${raw}`; // the grader runs checks with bash
    if (/^\s*#/.test(raw)) return raw;
    if (raw.length > MAX_ADAPTED_LINE) {
      note('review', n, `the line is longer than ${MAX_ADAPTED_LINE} characters, so it was neither adapted nor checked: rewrite it by hand for the grader`);
      return raw;
    }
    let line = raw;
    for (const r of REWRITES) {
      if (r.pattern.test(line)) {
        r.pattern.lastIndex = 0;
        line = line.replace(r.pattern, r.replace);
        note('adapted', n, r.message);
      }
      r.pattern.lastIndex = 0;
    }
    let rewrotePath = false;
    const quoted = singleQuotedPositions(line);
    line = line.replace(NODE_PATH, (match, prefix: string, rest: string, offset: number, whole: string) => {
      if (quoted[offset]) {
        note('review', n, `${match} is inside single quotes, so it was not rewritten: if it names a file of the node, read it with nodefile`);
        return match;
      }
      if (COMMAND_POSITION.test(textBefore(whole, offset))) return match; // a program: kept (the grader's)
      const path = prefix === '~/' || prefix === '$HOME/' ? `/root/${rest}` : match;
      rewrotePath = true;
      return `"$(nodepath ${path})"`;
    });
    if (rewrotePath) note('adapted', n, 'file paths are read through the node\'s root (nodepath), not the grader\'s own files');
    for (const f of FLAGS) {
      if (!f.pattern.test(line)) continue;
      if (options.cluster && f.pattern.source.includes('kubectl')) note('adapted', n, 'kubectl runs in the trusted grader with the cluster\'s admin credentials (not the learner\'s kubeconfig)');
      else note(f.kind, n, f.message);
    }
    return line;
  });
  return { text: out.join('\n'), notes };
}

/**
 * The check file of an imported task: the adapted script in a subshell (its `exit` ends only the
 * subshell), then one `FAIL:` line in the source's words when it failed without one of its own
 * (a `fail` inside already marked the check failed: `$PRAXIS_FAILED`).
 */
export function wrapImportedCheck(adapted: string, failMessage: string, extraHelpers = ''): string {
  const quoted = failMessage.replace(/'/g, `'\\''`);
  return `# Adapted by \`praxis import\` for the trusted grader: review the notes in IMPORT-REPORT.md.
${NODE_COMMAND_HELPER}
${extraHelpers ? `${extraHelpers}\n` : ''}(
${adapted.trimEnd()}
) || { [ -e "$PRAXIS_FAILED" ] && exit 1; fail '${quoted}'; }
`;
}
