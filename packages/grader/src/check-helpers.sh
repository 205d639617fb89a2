# The helpers every check and computed answer runs after, in the node's trusted grader (see
# docs/lab-format.md, "Where checks run", for the author-facing list). They read the node without
# trusting it: the grader's own binaries, the node's processes and files through a procfs of the
# node's pid namespace, the node's named network namespaces mirrored under /run/netns.
#
# Fail closed: `pipefail` is on, a `fail` anywhere (even in a pipeline or $(...)) fails the whole
# check, and helpers that read state fail the check when they cannot read it instead of printing
# nothing (an empty listing must never read as "no such rule"). This runs in a private mount
# namespace of its own (`unshare -m`), so its mounts vanish with it.

set -o pipefail
PRAXIS_NODE_PROC=/run/praxis/nodeproc
PRAXIS_NODE_ROOT=$PRAXIS_NODE_PROC/1/root
PRAXIS_FAILED=/tmp/.praxis-failed
# The grader's root is read-only: iptables-legacy needs a writable lock file, or it lists nothing.
export XTABLES_LOCKFILE=/dev/shm/xtables.lock

# --- verdict -------------------------------------------------------------------------------

# fail MESSAGE: the check fails with this reason for the learner. Works from anywhere: the line goes
# to the check's real stdout (fd 4) and a marker makes the whole check fail at exit.
fail() {
  printf 'FAIL: %s\n' "$*" >&4
  : >"$PRAXIS_FAILED" 2>/dev/null
  exit 1
}

# Grader trouble, not the learner's: the runner reports "could not be checked", never a pass.
praxis_broken() {
  printf 'PRAXIS-ERROR: %s\n' "$*" >&2
  exit 125
}

praxis_on_exit() {
  local rc=$?
  local jobs_left
  jobs_left=$(jobs -p)
  [ -z "$jobs_left" ] || kill $jobs_left 2>/dev/null
  [ ! -e "$PRAXIS_FAILED" ] || exit 1
  exit "$rc"
}

# --- reading state, fail-closed ------------------------------------------------------------

# state VAR CMD...: runs CMD and stores its output in VAR; the check fails when CMD fails. Capture
# first, then match with `has`: a command that could not run never reads as "nothing found".
state() {
  local __var=$1 __out __rc
  shift
  __out=$("$@")
  __rc=$?
  [ "$__rc" = 0 ] || fail "the grader could not read the state of $PRAXIS_NODE ($1 exited with $__rc)"
  printf -v "$__var" '%s' "$__out"
}

# has PATTERN TEXT: TEXT has a line matching the extended regular expression PATTERN (no pipe, so
# no SIGPIPE can turn a match into a miss under pipefail).
has() {
  grep -qE -- "$1" <<<"$2"
}

# Under pipefail, a filter that stops reading early (grep -q, grep -m, head) kills the command
# feeding it with SIGPIPE, and the pipeline fails although the filter matched: a positive check
# fails at random, and a negative one (`if ... | grep -q X; then fail ...`) passes. So in checks
# these two read their input to the end whenever they read stdin. (awk '... exit' or sed q can do
# the same: capture with `state` and match with `has` instead.)
praxis_drain() {
  local rc=$1
  cat >/dev/null 2>&1
  return "$rc"
}

grep() {
  local a j c next=0 opts=1 patterned=0 operands=0 quits=0
  for a; do
    if [ "$next" = 1 ]; then next=0; continue; fi
    if [ "$opts" = 1 ]; then
      case "$a" in
        --) opts=0; continue ;;
        --regexp=* | --file=*) patterned=1; continue ;;
        --regexp | --file) patterned=1; next=1; continue ;;
        --quiet | --silent | --files-with-matches | --files-without-match | --max-count=*) quits=1; continue ;;
        --max-count) quits=1; next=1; continue ;;
        --after-context | --before-context | --context | --label | --include | --exclude | --exclude-dir | --binary-files | --devices | --directories) next=1; continue ;;
        --*) continue ;;
        -?*)
          for ((j = 1; j < ${#a}; j++)); do
            c=${a:j:1}
            case "$c" in
              q | l | L) quits=1 ;;
              e | f) patterned=1; [ $((j + 1)) -lt ${#a} ] || next=1; break ;;
              m) quits=1; [ $((j + 1)) -lt ${#a} ] || next=1; break ;;
              A | B | C | d | D) [ $((j + 1)) -lt ${#a} ] || next=1; break ;;
            esac
          done
          continue ;;
      esac
    fi
    operands=$((operands + 1))
  done
  if [ "$quits" = 1 ] && [ $((operands - (patterned ? 0 : 1))) -le 0 ]; then
    command grep "$@"
    praxis_drain $?
  else
    command grep "$@"
  fi
}

head() {
  local a next=0 files=0
  for a; do
    if [ "$next" = 1 ]; then next=0; continue; fi
    case "$a" in
      -n | -c | --lines | --bytes) next=1 ;;
      -*) ;;
      *) files=$((files + 1)) ;;
    esac
  done
  if [ "$files" = 0 ]; then
    command head "$@"
    praxis_drain $?
  else
    command head "$@"
  fi
}

# --- the node's files ------------------------------------------------------------------------

# nodepath PATH: a path under which the grader reads the node's PATH, resolved component by
# component inside the node's root (absolute symlinks re-rooted there, never into the grader).
nodepath() {
  local root=$PRAXIS_NODE_ROOT rest="${1#/}" cur="" comp target hops=0
  while [ -n "$rest" ]; do
    comp="${rest%%/*}"
    if [ "$comp" = "$rest" ]; then rest=""; else rest="${rest#*/}"; fi
    case "$comp" in "" | .) continue ;; ..) cur="${cur%/*}"; continue ;; esac
    if [ -L "$root$cur/$comp" ]; then
      hops=$((hops + 1))
      [ "$hops" -le 40 ] || { echo "nodepath: too many symlinks in $1" >&2; return 1; }
      target=$(readlink -- "$root$cur/$comp") || return 1
      case "$target" in /*) cur="" rest="${target#/}${rest:+/$rest}" ;; *) rest="$target${rest:+/$rest}" ;; esac
    else
      cur="$cur/$comp"
    fi
  done
  printf '%s\n' "$root$cur"
}

# nodefile PATH: prints the node's file PATH; exit 1 when it does not exist.
nodefile() {
  local p
  p=$(nodepath "$1") || return 1
  [ -f "$p" ] || { echo "nodefile: $1 does not exist on $PRAXIS_NODE" >&2; return 1; }
  cat -- "$p"
}

# --- the node's processes --------------------------------------------------------------------

# nodeprocs CMD...: runs CMD (a grader binary) with /proc showing the node's processes, e.g.
# `nodeprocs ss -ltnp`, `nodeprocs pgrep -a dnsmasq`. (`ps` needs its own /proc/self: use pgrep.)
nodeprocs() {
  unshare --mount --propagation private sh -c 'mount -c --bind "$0" /proc && exec "$@"' "$PRAXIS_NODE_PROC" "$@"
}

# --- network namespaces ----------------------------------------------------------------------

# The node's own namespace is "@node"; the learner's `ip netns` namespaces keep their names.
PRAXIS_NODE_NETNS=@node

praxis_bind() { # praxis_bind SOURCE NAME: a name under /run/netns for a namespace file
  : >"/run/netns/$2" && mount -c --bind "$1" "/run/netns/$2"
}

# Mirrors the node's named network namespaces (its /run/netns) and its own namespace (@node) into
# the grader's /run/netns, so `ip -n NAME`, `ip netns exec NAME` and iproute2's "link-netns NAME"
# work in checks exactly as in the node.
praxis_mirror_netns() {
  mount -t tmpfs -o size=512k,mode=0755 praxis-netns /run/netns || praxis_broken "cannot mount /run/netns"
  praxis_bind /proc/self/ns/net "$PRAXIS_NODE_NETNS" || praxis_broken "cannot name the node's namespace"
  local dir f n
  dir=$(nodepath /run/netns) || return 0
  for f in "$dir"/*; do
    [ -e "$f" ] || continue
    n=${f##*/}
    [ "$n" != "$PRAXIS_NODE_NETNS" ] || continue
    [ "$(stat -L -f -c %T -- "$f" 2>/dev/null)" = nsfs ] || continue
    praxis_bind "$f" "$n" 2>/dev/null || true
  done
}

# Adds the network namespaces of the node that have no name: those of its processes, those held
# open by a process (an fd) and those bind-mounted elsewhere than /run/netns, as "pid:N" or
# "mnt:/path". Run by the helpers that must account for every namespace of the node.
PRAXIS_HIDDEN_MIRRORED=""
praxis_mirror_hidden_netns() {
  [ -z "$PRAXIS_HIDDEN_MIRRORED" ] || return 0
  PRAXIS_HIDDEN_MIRRORED=1
  local seen="" f ino p link path
  for f in /run/netns/*; do seen="$seen $(stat -L -c %i -- "$f" 2>/dev/null)"; done
  for p in "$PRAXIS_NODE_PROC"/[0-9]*; do
    f="$p/ns/net"
    ino=$(stat -L -c %i -- "$f" 2>/dev/null) || continue
    case " $seen " in *" $ino "*) ;; *) praxis_bind "$f" "pid:${p##*/}" 2>/dev/null && seen="$seen $ino" ;; esac
    for link in "$p"/fd/*; do
      case "$(readlink -- "$link" 2>/dev/null)" in net:*) ;; *) continue ;; esac
      ino=$(stat -L -c %i -- "$link" 2>/dev/null) || continue
      case " $seen " in *" $ino "*) ;; *) praxis_bind "$link" "pid:${p##*/}:fd" 2>/dev/null && seen="$seen $ino" ;; esac
    done
  done
  # nsfs mounts of net namespaces anywhere in the node's mount table.
  while read -r _ _ _ root path _; do
    case "$root" in net:*) ;; *) continue ;; esac
    f=$(nodepath "$path") || continue
    ino=$(stat -L -c %i -- "$f" 2>/dev/null) || continue
    case " $seen " in *" $ino "*) ;; *) praxis_bind "$f" "mnt:${path//\//_}" 2>/dev/null && seen="$seen $ino" ;; esac
  done <"$PRAXIS_NODE_PROC/1/mountinfo"
}

# innetns NAME CMD...: runs CMD (a grader binary) in the node's network namespace NAME (made with
# `ip netns add NAME`; "@node" is the node's own).
innetns() {
  local ns="$1"
  shift
  [ -e "/run/netns/$ns" ] || { echo "FAIL: there is no network namespace \"$ns\" on $PRAXIS_NODE"; return 1; }
  nsenter --net="/run/netns/$ns" -- "$@"
}

# netns_names: the node's named network namespaces, one per line (without @node).
netns_names() {
  local f
  for f in /run/netns/*; do
    f=${f##*/}
    case "$f" in "$PRAXIS_NODE_NETNS" | pid:* | mnt:*) ;; *) printf '%s\n' "$f" ;; esac
  done
}

# in_ns NS CMD...: CMD in NS when NS is given, else in the node's own namespace (for helpers' -n).
praxis_in_ns() {
  local ns=$1
  shift
  if [ -z "$ns" ] || [ "$ns" = "$PRAXIS_NODE_NETNS" ]; then "$@"; else innetns "$ns" "$@"; fi
}

# addr_holders ADDRESS: every namespace of the node (its own, named, and unnamed ones held by its
# processes) that holds ADDRESS on an interface, one per line. A stand-in copy of an address shows
# up here wherever the learner hid it.
addr_holders() {
  local ns out
  praxis_mirror_hidden_netns
  for ns in /run/netns/*; do
    ns=${ns##*/}
    out=$(nsenter --net="/run/netns/$ns" -- ip -4 -o addr show 2>/dev/null) || continue
    if has " ${1//./\\.}/" "$out"; then printf '%s\n' "$ns"; fi
  done
}

# addr_dev ADDRESS: the interface of the node's own namespace that holds ADDRESS (its link to that
# network); empty when none does.
addr_dev() {
  local out
  state out ip -4 -o addr show to "$1/32"
  awk 'NR == 1 { print $2 }' <<<"$out"
}

# held_only_by NS ADDRESS: fails the check unless the namespace NS of the node holds ADDRESS and no
# other one does (the node's own, a named one, one bind-mounted elsewhere or held by a process):
# a stand-in copy anywhere else fails.
held_only_by() {
  local holders
  holders=$(addr_holders "$2")
  [ -n "$holders" ] || fail "no namespace of $PRAXIS_NODE holds $2"
  [ "$holders" = "$1" ] || fail "$2 must be held by $1 only, but $(echo $holders | sed "s/@node/$PRAXIS_NODE itself/g; s/ /, /g") hold it"
}

# veth_peer [-n NS] IFACE: where the other end of the veth IFACE is, as "NAMESPACE PEER-NAME":
# NAMESPACE is @node, a netns name, pid:N for a namespace only a process holds, or "?" for one
# outside this node (the lab's own cables lead there). Status 1 when IFACE is not a veth.
veth_peer() {
  local ns="" j kind nsid index name peer
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  j=$(praxis_in_ns "$ns" ip -j -d link show dev "$1" 2>/dev/null) || return 1
  kind=$(jq -r '.[0].linkinfo.info_kind // ""' <<<"$j")
  [ "$kind" = veth ] || return 1
  nsid=$(jq -r '.[0].link_netnsid // ""' <<<"$j")
  if [ -z "$nsid" ]; then
    peer=$(jq -r '.[0].link // ""' <<<"$j")
    [ -n "$peer" ] || return 1
    printf '%s %s\n' "${ns:-$PRAXIS_NODE_NETNS}" "$peer"
    return 0
  fi
  index=$(jq -r '.[0].link_index' <<<"$j")
  name=$(praxis_in_ns "$ns" ip -j netns list-id 2>/dev/null | jq -r --argjson id "$nsid" '.[] | select(.nsid == $id) | .name // empty')
  if [ -z "$name" ]; then
    praxis_mirror_hidden_netns
    name=$(praxis_in_ns "$ns" ip -j netns list-id 2>/dev/null | jq -r --argjson id "$nsid" '.[] | select(.nsid == $id) | .name // empty')
  fi
  [ -n "$name" ] || { printf '? if%s\n' "$index"; return 0; }
  peer=$(innetns "$name" ip -j link show 2>/dev/null | jq -r --argjson i "$index" '.[] | select(.ifindex == $i) | .ifname')
  printf '%s %s\n' "$name" "${peer:-if$index}"
}

# link_kind [-n NS] IFACE: the interface's kind (bridge, veth, vxlan...; empty for a plain one).
link_kind() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  praxis_in_ns "$ns" ip -j -d link show dev "$1" 2>/dev/null | jq -r '.[0].linkinfo.info_kind // ""'
}

# link_master [-n NS] IFACE: the bridge IFACE is a port of (empty when none).
link_master() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  praxis_in_ns "$ns" ip -j link show dev "$1" 2>/dev/null | jq -r '.[0].master // ""'
}

# --- firewall rules, counters, conntrack ------------------------------------------------------

# iptables_save [-n NS] [-6]: `iptables-save -c` of both backends (nf_tables, which the node's
# `iptables` uses, and legacy, which `iptables-legacy` reaches), each section headed by
# "# backend nft|legacy". Fails the check when a backend cannot be read.
iptables_save() {
  local ns="" v=""
  while [ $# -gt 0 ]; do
    case "$1" in -n) ns=$2; shift 2 ;; -6) v=6; shift ;; *) break ;; esac
  done
  local nft legacy
  nft=$(praxis_in_ns "$ns" ip${v}tables-nft-save -c 2>/dev/null) || fail "the grader could not read the nf_tables rules of ${ns:-$PRAXIS_NODE}"
  legacy=$(praxis_in_ns "$ns" ip${v}tables-legacy-save -c 2>/dev/null) || fail "the grader could not read the legacy iptables rules of ${ns:-$PRAXIS_NODE}"
  printf '# backend nft\n%s\n# backend legacy\n%s\n' "$nft" "$legacy"
}

# Rules of one table (and chain) from iptables_save output on stdin, in `iptables -S` form
# (-P policies, -N chains, -A rules); with "counters", each -A line starts with "PACKETS\t".
praxis_rules_of() { # TABLE CHAIN(or "") counters(or "")
  awk -v table="$1" -v chain="$2" -v counters="$3" '
    /^\*/ { t = substr($0, 2); next }
    t != table { next }
    /^:/ {
      if (counters != "") next
      split(substr($0, 2), f, " ")
      if (chain != "" && f[1] != chain) next
      if (f[2] == "-") print "-N " f[1]; else print "-P " f[1] " " f[2]
      next
    }
    /^\[[0-9]+:[0-9]+\] -A / {
      c = $1; sub(/^\[/, "", c); sub(/:.*/, "", c)
      line = $0; sub(/^\[[0-9]+:[0-9]+\] /, "", line)
      split(line, w, " ")
      if (chain != "" && w[2] != chain) next
      print (counters != "" ? c "\t" : "") line
    }
  '
}

# The rule listings below: [-n NS] [-t TABLE] [CHAIN], both backends, `iptables -S` form.
praxis_rules_listing() { # -4|-6 counters|"" ARGS...
  local v=$1 counters=$2 ns="" table=filter saved
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in -n) ns=$2; shift 2 ;; -t) table=$2; shift 2 ;; *) break ;; esac
  done
  if [ "$v" = -6 ]; then saved=$(iptables_save -n "$ns" -6) || exit 1; else saved=$(iptables_save -n "$ns") || exit 1; fi
  praxis_rules_of "$table" "${1:-}" "$counters" <<<"$saved"
}

# iptables_rules [-n NS] [-t TABLE] [CHAIN]: the rules (`iptables -S` form) of both backends;
# default table filter. A missing table or chain prints nothing; a listing that fails fails the check.
iptables_rules() { praxis_rules_listing -4 "" "$@"; }

# ip6tables_rules [-n NS] [-t TABLE] [CHAIN]: the same for IPv6.
ip6tables_rules() { praxis_rules_listing -6 "" "$@"; }

# rule_counters [-n NS] [-t TABLE] [CHAIN]: "PACKETS<TAB>-A CHAIN RULE" for every rule of both
# backends (nf_tables rules made by `iptables` count by default; an `nft` rule counts only with a
# `counter` statement and is not listed here).
rule_counters() { praxis_rules_listing -4 counters "$@"; }

# rules_moved BEFORE AFTER: the rules whose packet counters rose between two rule_counters
# listings, as "DELTA<TAB>RULE" (rules are matched by their text and their position in the chain).
rules_moved() {
  awk -F '\t' '
    NR == FNR { n[$2]++; before[$2 SUBSEP n[$2]] = $1; next }
    { m[$2]++; k = $2 SUBSEP m[$2]; b = (k in before) ? before[k] : 0; if ($1 > b) print ($1 - b) "\t" $2 }
  ' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# conntrack_entries [-n NS] [CONNTRACK FILTER ARGS...]: `conntrack -L` of the namespace (one flow
# per line, original tuple then reply tuple). A namespace where conntrack never ran lists nothing.
conntrack_entries() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  local out
  out=$(praxis_in_ns "$ns" conntrack -L "$@" 2>/dev/null)
  local rc=$?
  # conntrack exits 1 when a filter matches nothing on some versions: only a failed listing of
  # everything is trouble.
  if [ $rc != 0 ] && ! praxis_in_ns "$ns" conntrack -C >/dev/null 2>&1; then
    fail "the grader could not read the conntrack table of ${ns:-$PRAXIS_NODE}"
  fi
  printf '%s\n' "$out" | grep -v '^$'
  return 0
}

# snmp_counter [-n NS] GROUP:NAME: one counter of /proc/net/snmp or /proc/net/netstat in that
# namespace, e.g. Ip:ForwDatagrams, Ip:OutTransmits, Icmp:InEchos, TcpExt:ListenDrops.
snmp_counter() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  local group=${1%%:*} name=${1#*:} text
  text=$(praxis_in_ns "$ns" cat /proc/net/snmp /proc/net/netstat) || fail "the grader could not read the counters of ${ns:-$PRAXIS_NODE}"
  awk -v g="$group:" -v n="$name" '
    $1 == g && !h { for (i = 2; i <= NF; i++) col[$i] = i; h = 1; next }
    $1 == g && h { if (n in col) { print $col[n]; found = 1 }; exit }
    END { exit !found }
  ' <<<"$text" || fail "there is no counter $1"
}

# --- probes ----------------------------------------------------------------------------------

# PRAXIS_PROBE (8 hex digits) and PRAXIS_PROBE_PORT are new for each run of a check and the same on
# every node of it: a probe carries them, so the grader tells its own packets from staged ones.

# probe_ping [-n NS] DEST [PING ARGS...]: 3 pings carrying the probe pattern, TTL 64; status 0 when
# at least one reply came back.
probe_ping() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  praxis_in_ns "$ns" ping -c 3 -i 0.2 -W 2 -q -t 64 -p "$PRAXIS_PROBE" "$@" >/dev/null 2>&1
}

# probe_icmp_filter [request|reply]: a tcpdump filter for the echo requests (default) or replies
# of probe_ping in this run. The pattern sits after ping's 16-byte timestamp.
probe_icmp_filter() {
  local type=icmp-echo
  [ "${1:-request}" = reply ] && type=icmp-echoreply
  printf 'icmp[icmptype] == %s and icmp[24:4] == 0x%s' "$type" "$PRAXIS_PROBE"
}

# probe_http [-n NS] URL: fetches URL from source port PRAXIS_PROBE_PORT (so the flow can be found
# in conntrack and in captures); prints the body; status of curl.
probe_http() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  praxis_in_ns "$ns" curl -s --max-time 4 --local-port "$PRAXIS_PROBE_PORT" "$1"
}

# probe_tcp [-n NS] HOST PORT: opens (and closes) a TCP connection from source port
# PRAXIS_PROBE_PORT; status 0 when the connection was accepted.
probe_tcp() {
  local ns=""
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  praxis_in_ns "$ns" socat -T 2 -u OPEN:/dev/null "TCP:$1:$2,sourceport=$PRAXIS_PROBE_PORT,reuseaddr,connect-timeout=3" 2>/dev/null
}

# pcap_start NAME [-n NS] TCPDUMP-ARGS...: starts capturing (tcpdump -n -e ARGS) in the background
# and returns once tcpdump listens. pcap_stop NAME stops it and prints one line per packet.
pcap_start() {
  local name=$1 ns=""
  shift
  if [ "$1" = -n ]; then ns=$2; shift 2; fi
  local dir=/tmp/.pcap-$name
  mkdir -p "$dir" || fail "cannot capture packets"
  # A simple command, so $! is tcpdump itself (nsenter execs it); stopped with TERM, since a
  # background job of a non-interactive shell ignores INT.
  if [ -z "$ns" ] || [ "$ns" = "$PRAXIS_NODE_NETNS" ]; then
    command tcpdump -Z root --immediate-mode -n -e -l "$@" >"$dir/out" 2>"$dir/err" &
  else
    [ -e "/run/netns/$ns" ] || fail "there is no network namespace \"$ns\" on $PRAXIS_NODE"
    nsenter --net="/run/netns/$ns" -- tcpdump -Z root --immediate-mode -n -e -l "$@" >"$dir/out" 2>"$dir/err" &
  fi
  echo $! >"$dir/pid"
  local i
  for i in $(seq 1 100); do
    grep -q 'listening on' "$dir/err" 2>/dev/null && return 0
    kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
    sleep 0.03
  done
  fail "the grader could not capture packets on ${ns:-$PRAXIS_NODE} ($(tail -n1 "$dir/err" 2>/dev/null))"
}

pcap_stop() {
  local dir=/tmp/.pcap-$1 pid
  pid=$(cat "$dir/pid" 2>/dev/null) || fail "no capture named $1 was started"
  # Packets in flight (a reply on its way) land before tcpdump stops.
  sleep 0.2
  kill -TERM "$pid" 2>/dev/null
  # `wait` only works in the shell that started it; $(pcap_stop ...) is another: poll.
  local i
  for i in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.02; done
  wait "$pid" 2>/dev/null
  cat "$dir/out"
}

# --- names as the node resolves them ---------------------------------------------------------

# node_getent [-x SOURCE] [GETENT OPTIONS] DATABASE KEY...: getent with the node's nsswitch.conf,
# hosts, resolv.conf, host.conf and gai.conf (the grader's own glibc and NSS modules): what
# `getent`, `ping NAME` or `curl NAME` resolve on the node. DNS queries leave from the node's
# namespace, each server given 2 s. `-x SOURCE` drops a source (e.g. dns) from the node's hosts
# line, to ask "without a DNS server"; getent's own `-s SOURCE` asks one source only.
node_getent() {
  local dir=/tmp/.praxis-nss f drop=""
  if [ "$1" = -x ]; then drop=$2; shift 2; fi
  mkdir -p "$dir" || fail "cannot prepare name resolution"
  for f in nsswitch.conf hosts resolv.conf host.conf gai.conf; do
    if ! nodefile "/etc/$f" >"$dir/$f" 2>/dev/null; then : >"$dir/$f"; fi
  done
  # A server that does not answer costs 2 s, not glibc's 5 s times 2 attempts per name.
  printf 'options timeout:2 attempts:1\n' >>"$dir/resolv.conf"
  if [ -n "$drop" ]; then
    sed -E "/^hosts:/ { s/[[:space:]]$drop([[:space:]]|\$)/ /g; s/[[:space:]]$drop([[:space:]]|\$)/ /g }" "$dir/nsswitch.conf" >"$dir/nss.x" && cat "$dir/nss.x" >"$dir/nsswitch.conf"
  fi
  unshare --mount --propagation private sh -c '
    dir=$0
    for f in nsswitch.conf hosts resolv.conf host.conf gai.conf; do
      [ -e "/etc/$f" ] || continue
      mount -c --bind "$dir/$f" "/etc/$f" || exit 125
    done
    exec getent "$@"' "$dir" "$@"
}

# node_resolve [-x SOURCE] [-s SOURCE] NAME: the first IPv4 address NAME resolves to on the node
# (empty, status 2, when it does not resolve).
node_resolve() {
  local opts=() out
  while [ $# -gt 1 ]; do opts+=("$1" "$2"); shift 2; done
  out=$(node_getent "${opts[@]}" ahostsv4 "$1")
  local rc=$?
  [ $rc = 0 ] || return 2
  awk 'NR == 1 { print $1 }' <<<"$out"
}

# --- boot-time settings ----------------------------------------------------------------------

# sysctl_from_files KEY FILE...: the value of a net.* sysctl after the node's FILEs (node paths,
# missing ones skipped) are applied in order by the grader's own sysctl, in a scratch network
# namespace that starts with forwarding off, as after a boot. What the files really set: a line
# sysctl rejects (a typo, a trailing word) sets nothing, whatever it looks like.
sysctl_from_files() {
  local key=$1 all=/tmp/.praxis-sysctl.conf f
  shift
  : >"$all"
  for f; do
    nodefile "$f" >>"$all" 2>/dev/null && echo >>"$all"
  done
  unshare --net --mount --propagation private sh -c '
    mount -o remount,rw /proc/sys 2>/dev/null || exit 125
    echo 0 >/proc/sys/net/ipv4/ip_forward
    sysctl -q -p "$0" >/dev/null 2>&1
    sysctl -n "$1"' "$all" "$key" || fail "the grader could not apply the sysctl files of $PRAXIS_NODE"
}

# sysctl_at_boot KEY: the value once every sysctl file of the node applies at boot, in the order
# of `sysctl --system` (procps, what a Debian node without systemd runs): *.conf of /etc/sysctl.d,
# /run/sysctl.d, /usr/local/lib/sysctl.d, /usr/lib/sysctl.d, /lib/sysctl.d sorted by file name (the
# first directory wins for equal names), then /etc/sysctl.conf.
sysctl_at_boot() {
  local d dir f n seen=" " files=()
  for d in /etc/sysctl.d /run/sysctl.d /usr/local/lib/sysctl.d /usr/lib/sysctl.d /lib/sysctl.d; do
    dir=$(nodepath "$d") || continue
    [ -d "$dir" ] || continue
    for f in "$dir"/*.conf; do
      [ -f "$f" ] || continue
      n=${f##*/}
      case "$seen" in *" $n "*) continue ;; esac
      seen="$seen$n "
      files+=("$n"$'\t'"$d/$n")
    done
  done
  local ordered=()
  while IFS=$'\t' read -r _ f; do [ -n "$f" ] && ordered+=("$f"); done < <(printf '%s\n' "${files[@]}" | LC_ALL=C sort)
  sysctl_from_files "$1" "${ordered[@]}" /etc/sysctl.conf
}

# --- several nodes, one check ----------------------------------------------------------------

# barrier NAME: waits until every node of this check has reached the barrier NAME (or ended), so a
# node can capture while another probes: e.g. on C `pcap_start ...; barrier probe; barrier done;
# pcap_stop ...` and on A `barrier probe; probe_ping ...; barrier done`.
barrier() {
  local line
  printf '::praxis-barrier %s\n' "$1" >&4
  IFS= read -r line <&3 || praxis_broken "the runner did not answer at barrier $1"
  [ "$line" = "$1" ] || praxis_broken "the runner released barrier \"$line\", not \"$1\""
}

# --- start -----------------------------------------------------------------------------------

praxis_begin() {
  exec 4>&1
  trap praxis_on_exit EXIT
  [ -d "$PRAXIS_NODE_PROC/1" ] || praxis_broken "the node's processes are not visible to the grader"
  mount -t tmpfs -o size=8m,mode=1777 praxis-tmp /tmp || praxis_broken "cannot mount a scratch /tmp"
  praxis_mirror_netns
  # `ip -n`/`ip netns exec` detach /sys and mount a fresh sysfs, which the kernel allows only with
  # another sysfs still mounted: the grader keeps a spare one at /run/praxis/sysfs.
  # tcpdump without `-Z root` would try to become the user tcpdump and stop.
  tcpdump() { command tcpdump -Z root "$@"; }
  cd /
}
