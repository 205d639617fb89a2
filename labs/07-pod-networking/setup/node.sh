#!/bin/sh
# Both nodes get the notes' net-script.sh (ADD/DEL sections) in /opt/cni/bin. node02 is already
# wired with it: bridge v-net-0 with the first address of its pod subnet, pods pod-b and old.
# node01 gets nothing else: the learner wires it. Forwarding stays off on both (topology default).
set -eu
mkdir -p /opt/cni/bin
cat > /opt/cni/bin/net-script.sh <<'SCRIPT'
#!/bin/sh
# net-script.sh add <namespace> <address/prefix>   attach a pod's namespace to v-net-0
# net-script.sh del <namespace>                    detach it
# The runtime creates the namespace before ADD and deletes it after DEL.
set -e
BRIDGE=v-net-0
cmd=$1 ns=$2
case "$cmd" in
  add|ADD)
    addr=$3
    gw=$(ip -4 -o addr show dev "$BRIDGE" | awk '{print $4}' | cut -d/ -f1)
    # Create veth pair
    ip link add "veth-$ns" type veth peer name eth0 netns "$ns"
    # Attach veth pair
    ip link set "veth-$ns" master "$BRIDGE"
    # Assign IP Address
    ip -n "$ns" addr add "$addr" dev eth0
    # Bring Up Interface
    ip link set "veth-$ns" up
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add default via "$gw"
    ;;
  del|DEL)
    # Delete veth pair
    ip link del "veth-$ns"
    ;;
  *) echo "usage: $0 add <namespace> <address/prefix> | del <namespace>" >&2; exit 2 ;;
esac
SCRIPT
chmod 0755 /opt/cni/bin/net-script.sh

if [ "$(hostname)" = node02 ]; then
  ip link add v-net-0 type bridge
  ip link set v-net-0 up
  ip addr add "$node02_bridge/24" dev v-net-0
  ip netns add pod-b && /opt/cni/bin/net-script.sh add pod-b "$pod_b/24"
  ip netns add old && /opt/cni/bin/net-script.sh add old 10.244.2.3/24
fi
