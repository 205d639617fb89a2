# The ADD section by hand for pod-a (skipped if pod-a is already wired).
ip netns add pod-a 2>/dev/null || true
if ! ip link show veth-pod-a >/dev/null 2>&1; then
  ip link add veth-pod-a type veth peer name eth0 netns pod-a
fi
ip link set veth-pod-a master v-net-0 up
ip -n pod-a addr replace "$pod_a/24" dev eth0
ip -n pod-a link set eth0 up
ip -n pod-a link set lo up
ip -n pod-a route replace default via "$node01_bridge"
