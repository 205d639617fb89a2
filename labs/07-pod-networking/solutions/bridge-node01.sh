# The bridge of node01's pods, holding the first address of its pod subnet (idempotent).
ip link show v-net-0 >/dev/null 2>&1 || ip link add v-net-0 type bridge
ip link set dev v-net-0 up
ip addr replace "$node01_bridge/24" dev v-net-0
