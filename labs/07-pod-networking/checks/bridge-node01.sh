# v-net-0 must be a bridge on node01, up, holding the first address of node01's pod subnet.
ip -d -o link show dev v-net-0 >/dev/null 2>&1 || fail "node01 has no interface v-net-0"
ip -d -o link show dev v-net-0 | grep -q ' bridge ' || fail "v-net-0 on node01 is not a bridge"
ip -o link show dev v-net-0 | grep -q '[<,]UP[,>]' || fail "v-net-0 on node01 is down (ip link set dev v-net-0 up)"
ip -4 -o addr show dev v-net-0 | grep -q " $node01_bridge/24 " \
  || fail "v-net-0 on node01 does not have the address $node01_bridge/24"
