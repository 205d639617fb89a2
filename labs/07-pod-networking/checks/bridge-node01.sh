# v-net-0 must be a bridge on node01, up, holding the first address of node01's pod subnet, and
# the kernel must send the pod subnet to it (no more specific route takes part of it away).
ip -d -o link show dev v-net-0 >/dev/null 2>&1 || fail "node01 has no interface v-net-0"
[ "$(link_kind v-net-0)" = bridge ] || fail "v-net-0 on node01 is not a bridge"
state l ip -o link show dev v-net-0
has '[<,]UP[,>]' "$l" || fail "v-net-0 on node01 is down (ip link set dev v-net-0 up)"
state a ip -4 -o addr show dev v-net-0
has " $node01_bridge/24 " "$a" || fail "v-net-0 on node01 does not have the address $node01_bridge/24"
for addr in "$pod_a" 10.244.1.200; do
  r=$(ip -4 route get "$addr" 2>/dev/null | head -n1)
  has " dev v-net-0 " "$r" || fail "node01 does not send $node01_pods to v-net-0 ($addr: ${r:-no route})"
done
