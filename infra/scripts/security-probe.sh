#!/usr/bin/env bash
# Security probe of one running lab node: runs, as the learner's root inside the node, every
# course command that must work and every known route to the host that must fail, and prints one
# PASS/FAIL line per item. Attempts are harmless when they succeed (kernel knobs are written back
# with their current value, sysrq gets "h" = print help) and mount experiments run in a private
# mount namespace, so the node keeps working. Usage:
#   infra/scripts/security-probe.sh <node container> [--must-work-only | --must-fail-only]
# Honours DOCKER_HOST. Exit status: 0 when every item passed, 1 otherwise.
set -uo pipefail

container="${1:?usage: security-probe.sh <node container> [--must-work-only|--must-fail-only]}"
mode="${2:-all}"

engine_opts="$(docker info --format '{{json .SecurityOptions}}' 2>/dev/null || echo '?')"
printf '# node %s, engine security options %s\n' "$container" "$engine_opts"

docker exec -i "$container" bash -s -- "$mode" <<'PROBE'
mode="$1"
failures=0
result() { # result <PASS|FAIL> <list> <item> [detail]
  [ "$1" = FAIL ] && failures=$((failures + 1))
  printf '%s  %-9s  %-34s %s\n' "$1" "$2" "$3" "${4:-}"
}
# must_work <item> <command...>: the item passes when the command exits 0.
must_work() {
  local item="$1"; shift
  local out
  if out="$(timeout 30 bash -c "$*" 2>&1)"; then result PASS must-work "$item"
  else result FAIL must-work "$item" "$(printf '%s' "$out" | tail -n 2 | tr '\n' ' ')"; fi
}
# must_fail <item> <command...>: the item passes when the attempt does NOT succeed (exit != 0).
must_fail() {
  local item="$1"; shift
  local out
  if out="$(timeout 30 bash -c "$*" 2>&1)"; then result FAIL must-fail "$item" "attempt SUCCEEDED: $(printf '%s' "$out" | tail -n 1)"
  else result PASS must-fail "$item" "($(printf '%s' "$out" | tail -n 1 | cut -c1-90))"; fi
}

# Writes a file's current content back to it: succeeds exactly when the file is writable, and
# changes nothing when it is. $1 is the path to read, $2 (default $1) the path to write.
cat > /tmp/.probe-writeback <<'EOF'
#!/bin/sh
v="$(cat "$1")" || exit 2
printf '%s\n' "$v" > "${2:-$1}"
EOF
chmod +x /tmp/.probe-writeback
wb=/tmp/.probe-writeback

# Attempts that need more than one line, exported for the `bash -c` of must_fail.
load_module() { # init_module(2) is syscall 175 on x86_64: EPERM without CAP_SYS_MODULE
  perl -e 'my $b = "\0" x 64; my $a = ""; exit 0 if syscall(175, $b, 64, $a) == 0; print "init_module: $!\n"; exit 1'
}
count_fresh_proc_pids() { # succeeds when a fresh proc shows more pids than a node can have
  local n
  n="$(unshare -m sh -c 'mkdir -p /tmp/p && mount -t proc proc /tmp/p && ls /tmp/p' | grep -c '^[0-9]')"
  echo "$n pids"; [ "$n" -gt 60 ]
}
host_network() { # succeeds when the engine's bridge or an address of its pools is in sight
  ip link show docker0 2>/dev/null && return 0
  ip -o addr show | grep -E ' inet 172\.(1[6-9]|2[0-9]|3[01])\.' && return 0
  ip route get 172.17.0.1 2>/dev/null | grep -q ' dev ' && ! ip route show default | grep -q . && return 0
  return 1
}
raw_mount() { # raw_mount <source> <target> <fstype> [data]: mount(2) itself, no setuid mount(8)
  mkdir -p "$2" && perl -e 'my ($s, $t, $f, $d) = @ARGV; $d //= ""; exit 0 if syscall(165, $s, $t, $f, 0, $d) == 0;
    print "mount($f on $t): $!\n"; exit 1' "$@"
}
cgroup_v1_release_agent() { # the classic escape: a cgroup v1 hierarchy root has release_agent
  raw_mount cgroup /tmp/cg cgroup memory && ls /tmp/cg/release_agent && $wb /tmp/cg/release_agent
}
sysfs_kernel_knob() { # a host-root-owned sysfs knob, through a writable mount of /sys and a fresh one
  local f
  for f in module/printk/parameters/time kernel/mm/ksm/run; do [ -e "/sys/$f" ] && break; done
  echo "knob /sys/$f"
  mount -o remount,rw /sys 2>/dev/null
  $wb "/sys/$f" && return 0
  raw_mount sysfs /tmp/s sysfs && $wb "/tmp/s/$f"
}
export wb
export -f load_module count_fresh_proc_pids host_network raw_mount cgroup_v1_release_agent sysfs_kernel_knob

if [ "$mode" != --must-fail-only ]; then
  forwarding_before="$(cat /proc/sys/net/ipv4/ip_forward)"
  must_work netns-add 'ip netns add probe-red && ip netns add probe-blue'
  must_work netns-exec 'ip netns exec probe-red ip link show lo'
  must_work ip-n 'ip -n probe-red link set lo up && ip -n probe-red link show lo | grep -q UP'
  must_work veth-into-netns 'ip link add pveth-r type veth peer name pveth-r-br && ip link add pveth-b type veth peer name pveth-b-br \
    && ip link set pveth-r netns probe-red && ip link set pveth-b netns probe-blue'
  must_work bridge 'ip link add pv-net-0 type bridge && ip link set pv-net-0 up \
    && ip link set pveth-r-br master pv-net-0 up && ip link set pveth-b-br master pv-net-0 up \
    && ip -n probe-red addr add 192.168.15.1/24 dev pveth-r && ip -n probe-blue addr add 192.168.15.2/24 dev pveth-b \
    && ip -n probe-red link set pveth-r up && ip -n probe-blue link set pveth-b up && ip addr add 192.168.15.5/24 dev pv-net-0'
  must_work ping-across-bridge 'ip netns exec probe-red ping -c 1 -W 2 192.168.15.2'
  must_work sysctl-ip-forward 'sysctl -w net.ipv4.ip_forward=1 && [ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] \
    && ip netns exec probe-red sysctl -w net.ipv4.ip_forward=1'
  must_work iptables-masquerade 'iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE \
    && iptables -t nat -S POSTROUTING | grep -q MASQUERADE'
  must_work iptables-dnat 'iptables -t nat -A PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.2:80 \
    && iptables -t nat -S PREROUTING | grep -q DNAT'
  must_work tcpdump '(timeout 8 tcpdump -ni pv-net-0 -c 1 icmp >/tmp/.probe-tcpdump 2>&1 &) ; sleep 1.5; \
    ip netns exec probe-red ping -c 3 -i 0.3 -W 1 192.168.15.2 >/dev/null; sleep 0.5; grep -q ICMP /tmp/.probe-tcpdump'
  must_work dnsmasq-port-53 'ip netns exec probe-blue dnsmasq --port=53 --listen-address=192.168.15.2 --bind-interfaces \
    --no-resolv --no-hosts --address=/probe.test/192.0.2.10 --pid-file=/run/probe-dnsmasq.pid \
    && sleep 0.3 && ip netns exec probe-red dig +short +time=2 +tries=1 @192.168.15.2 probe.test | grep -qx 192.0.2.10'
  must_work cni-bridge-by-hand 'ip netns add probe-cni && mkdir -p /tmp/probe-cni && cat > /tmp/probe-cni/10-bridge.conf <<EOF
{"cniVersion":"0.4.0","name":"probe-net","type":"bridge","bridge":"pcni0","isGateway":true,"ipMasq":true,
 "ipam":{"type":"host-local","subnet":"10.244.9.0/24","dataDir":"/tmp/probe-cni/ipam","routes":[{"dst":"0.0.0.0/0"}]}}
EOF
    CNI_COMMAND=ADD CNI_CONTAINERID=probe1 CNI_NETNS=/var/run/netns/probe-cni CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni \
      /usr/lib/cni/bridge < /tmp/probe-cni/10-bridge.conf > /tmp/probe-cni/result.json \
    && grep -q 10.244.9. /tmp/probe-cni/result.json && ip netns exec probe-cni ping -c 1 -W 2 10.244.9.1'
  must_work tmux 'tmux new-session -d -s probe "sleep 60" && tmux has-session -t probe && tmux kill-session -t probe'
  must_work etcd-listening '(etcd --name probe --data-dir /tmp/probe-etcd --listen-client-urls http://127.0.0.1:2379 \
      --advertise-client-urls http://127.0.0.1:2379 --listen-peer-urls http://127.0.0.1:2380 >/tmp/probe-etcd.log 2>&1 &); \
    for i in $(seq 1 40); do curl -fs http://127.0.0.1:2379/health | grep -q true && exit 0; sleep 0.25; done; exit 1'

  # Leave the node as it was: the learner's lab starts from a clean node.
  pkill -F /run/probe-dnsmasq.pid 2>/dev/null; pkill -x etcd 2>/dev/null; rm -rf /tmp/probe-etcd /tmp/probe-etcd.log
  CNI_COMMAND=DEL CNI_CONTAINERID=probe1 CNI_NETNS=/var/run/netns/probe-cni CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni \
    /usr/lib/cni/bridge < /tmp/probe-cni/10-bridge.conf >/dev/null 2>&1
  rm -rf /tmp/probe-cni
  iptables -t nat -D POSTROUTING -s 192.168.15.0/24 -j MASQUERADE 2>/dev/null
  iptables -t nat -D PREROUTING -p tcp --dport 8080 -j DNAT --to-destination 192.168.15.2:80 2>/dev/null
  for n in probe-red probe-blue probe-cni; do ip netns del "$n" 2>/dev/null; done
  ip link del pv-net-0 2>/dev/null; ip link del pcni0 2>/dev/null
  echo "$forwarding_before" > /proc/sys/net/ipv4/ip_forward
fi

if [ "$mode" != --must-work-only ]; then
  # Kernel-wide sysctls, by every route: they must stay read-only for the learner.
  must_fail write-proc-sys-kernel "$wb /proc/sys/kernel/core_pattern"
  # A host-wide knob shown (read-only) in every network namespace; the node's own net sysctls
  # stay writable, which the course needs. (procps `sysctl -w` can exit 0 on failure: write directly.)
  must_fail global-net-sysctl "$wb /proc/sys/net/netfilter/nf_conntrack_max"
  must_fail sysctl-w-kernel 'sysctl -w kernel.core_pattern="$(sysctl -n kernel.core_pattern)"'
  must_fail fresh-proc-mount "unshare -m sh -c 'mkdir -p /tmp/p && mount -t proc proc /tmp/p && $wb /tmp/p/sys/kernel/core_pattern'"
  must_fail remount-proc-sys-rw "unshare -m sh -c 'mount -o remount,rw /proc/sys && $wb /proc/sys/kernel/core_pattern'"
  must_fail bind-proc-non-rec "unshare -m sh -c 'mkdir -p /tmp/b && mount --bind /proc /tmp/b && $wb /tmp/b/sys/kernel/core_pattern'"
  must_fail umount-proc-sys "unshare -m sh -c 'umount -l /proc/sys && $wb /proc/sys/kernel/core_pattern'"
  must_fail nested-userns-proc "unshare -Urmpf --mount-proc sh -c '$wb /proc/sys/kernel/core_pattern'"
  if [ -e /proc/sysrq-trigger ]; then
    must_fail sysrq-trigger "unshare -m sh -c 'umount /proc/sysrq-trigger 2>/dev/null; echo h > /proc/sysrq-trigger'"
  else result PASS must-fail sysrq-trigger "(not present: kernel without CONFIG_MAGIC_SYSRQ)"; fi
  must_fail sysfs-kernel-knob 'unshare -m bash -c sysfs_kernel_knob'
  # cgroup v1 release_agent runs a program as host root when a cgroup empties.
  must_fail cgroup-v1-release-agent 'unshare -m bash -c cgroup_v1_release_agent'
  must_fail cgroup-v1-nested-userns 'unshare -UmC bash -c cgroup_v1_release_agent'
  must_fail cgroup2-mount 'unshare -m bash -c "raw_mount none /tmp/cg2 cgroup2"'
  must_fail cgroup-own-limits "$wb /sys/fs/cgroup/memory/memory.limit_in_bytes"
  # Modules: init_module(2) answers EPERM without CAP_SYS_MODULE in the host's user namespace.
  must_fail load-module load_module
  must_fail modprobe 'modprobe -q dummy'
  must_fail mknod-block-device 'mknod /tmp/.probe-blk b 8 0 && head -c 512 /tmp/.probe-blk >/dev/null'
  # The host's processes and network.
  # A Kubernetes node runs a containerd of its own; the host's is the one Docker starts.
  must_fail see-host-processes "ps -eo args= | grep -E '^(/usr/s?bin/)?(dockerd|systemd)( |\$)|^\\[kthreadd\\]|^(/usr/s?bin/)?containerd .*/var/run/docker/'"
  must_fail see-host-pids-fresh-proc count_fresh_proc_pids
  must_fail host-network host_network
  rm -f /tmp/.probe-blk
fi
rm -f "$wb" /tmp/.probe-tcpdump
printf '# %s item(s) failed\n' "$failures"
[ "$failures" = 0 ]
PROBE
