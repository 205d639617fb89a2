// The shell prelude every check and answer script runs after: lab variables, PRAXIS_NODE, and
// the helpers authors use to read the node without trusting it (docs/lab-format.md).
import { shellVariables } from '@praxis/labs';

// iptables_rules: \`iptables -S\` of both backends. A node's \`iptables\` is the nf_tables variant,
// but a learner may type \`iptables-legacy\`, whose rules the kernel applies just as well and which
// \`iptables -S\` does not list; a check must see both.
// Resolves a node path component by component under /proc/1/root (the node's root as its PID 1
// sees it; for a cluster node, PRAXIS_NODE_ROOT, its root filesystem), re-rooting absolute symlinks there: a plain /proc/1/root/<path> would follow an
// absolute symlink into the grader's own filesystem, which a learner could aim at a grader file.
const HELPERS = `
fail() { printf 'FAIL: %s\\n' "$*"; exit 1; }
nodepath() {
  local root="\${PRAXIS_NODE_ROOT:-/proc/1/root}" rest="\${1#/}" cur="" comp target hops=0
  while [ -n "$rest" ]; do
    comp="\${rest%%/*}"
    if [ "$comp" = "$rest" ]; then rest=""; else rest="\${rest#*/}"; fi
    case "$comp" in ""|.) continue ;; ..) cur="\${cur%/*}"; continue ;; esac
    if [ -L "$root$cur/$comp" ]; then
      hops=$((hops + 1)); [ "$hops" -le 40 ] || { echo "nodepath: too many symlinks in $1" >&2; return 1; }
      target=$(readlink -- "$root$cur/$comp") || return 1
      case "$target" in /*) cur=""; rest="\${target#/}\${rest:+/$rest}" ;; *) rest="$target\${rest:+/$rest}" ;; esac
    else
      cur="$cur/$comp"
    fi
  done
  printf '%s\\n' "$root$cur"
}
nodefile() {
  local p; p=$(nodepath "$1") || return 1
  [ -f "$p" ] || { echo "nodefile: $1 does not exist on $PRAXIS_NODE" >&2; return 1; }
  cat -- "$p"
}
innetns() {
  local ns="$1" p; shift
  p=$(nodepath "/run/netns/$ns") && [ -e "$p" ] || { echo "FAIL: there is no network namespace \\"$ns\\" on $PRAXIS_NODE"; return 1; }
  nsenter --net="$p" -- "$@"
}
# The grader's root is read-only: iptables-legacy needs a writable lock file, or it lists nothing.
export XTABLES_LOCKFILE=/dev/shm/xtables.lock
iptables_rules() {
  local table=filter
  if [ "$1" = -t ]; then table="$2"; shift 2; fi
  { iptables-nft -w 5 -t "$table" -S "$@"; iptables-legacy -w 5 -t "$table" -S "$@"; } 2>/dev/null
  return 0
}
ip6tables_rules() {
  local table=filter
  if [ "$1" = -t ]; then table="$2"; shift 2; fi
  { ip6tables-nft -w 5 -t "$table" -S "$@"; ip6tables-legacy -w 5 -t "$table" -S "$@"; } 2>/dev/null
  return 0
}
cd /
`;

/**
 * The script travels on bash's stdin; wrapped in one brace group with stdin from /dev/null, bash
 * parses all of it before running any of it, so a command that reads stdin (a bare `cat`) cannot
 * swallow the rest of the script.
 */
export function wrapForStdin(text: string): string {
  return `{\n${text}\n} </dev/null\n`;
}

/**
 * The full text piped to bash in the grader: prelude, the lab's shared library (`lib:`) when it
 * has one, then the author's script. The library runs after the helpers, so it may use them.
 */
export function buildCheckScript(node: string, variables: Record<string, string>, script: string, lib?: string): string {
  const library = lib === undefined ? '' : `${lib}\ncd /\n`;
  return wrapForStdin(`PRAXIS_NODE='${node.replace(/'/g, '')}'\n${shellVariables(variables)}\n${HELPERS}\n${library}${script}`);
}

/** For solve scripts run in the node itself: variables and PRAXIS_NODE, no helpers. */
export function buildSolveScript(node: string, variables: Record<string, string>, script: string): string {
  return wrapForStdin(`PRAXIS_NODE='${node.replace(/'/g, '')}'\n${shellVariables(variables)}\n${script}`);
}
