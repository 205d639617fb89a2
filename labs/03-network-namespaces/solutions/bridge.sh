# A switch (bridge) on the host, and one cable per namespace into it.
ip link show v-net-0 >/dev/null 2>&1 || ip link add v-net-0 type bridge
ip link set dev v-net-0 up
for ns in red blue; do
  if ! ip link show veth-$ns-br >/dev/null 2>&1; then
    # Deleting one end of the old direct cable deletes both ends.
    ip -n $ns link del veth-$ns 2>/dev/null || true
    ip link add veth-$ns type veth peer name veth-$ns-br
    ip link set veth-$ns netns $ns
  fi
  ip link set veth-$ns-br master v-net-0
  ip link set veth-$ns-br up
done
ip -n red addr replace 192.168.15.1/24 dev veth-red
ip -n blue addr replace 192.168.15.2/24 dev veth-blue
ip -n red link set veth-red up
ip -n blue link set veth-blue up
ip netns exec red ping -c 3 -i 0.2 -W 2 192.168.15.2
