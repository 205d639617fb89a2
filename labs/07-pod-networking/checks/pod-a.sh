# pod-a: eth0 with its address in its own namespace, the peer on v-net-0, a default route via
# the bridge address, and a real ping to the bridge from inside pod-a.
innetns pod-a true || exit 1
innetns pod-a ip -4 -o addr show dev eth0 2>/dev/null | grep -q " $pod_a/24 " \
  || fail "pod-a has no eth0 with the address $pod_a/24"
innetns pod-a ip -o link show dev eth0 | grep -q 'state UP' || fail "eth0 in pod-a is not up"
peer=$(innetns pod-a ip -o link show dev eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
[ -n "$peer" ] || fail "eth0 in pod-a is not one end of a veth pair"
ip -o link show master v-net-0 2>/dev/null | grep -q "^$peer:" \
  || fail "the node end of pod-a's veth is not attached to v-net-0"
ip -4 -o addr show | grep -q " $pod_a/" && fail "node01 itself holds $pod_a: the address belongs inside pod-a"
innetns pod-a ip -4 route show default | grep -q "via $node01_bridge" \
  || fail "pod-a has no default route via $node01_bridge"
innetns pod-a ping -c 1 -W 2 -q "$node01_bridge" >/dev/null 2>&1 || fail "pod-a cannot ping its gateway $node01_bridge"
