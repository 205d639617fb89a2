# On this node: forwarding on, and a namespace plugged into this node's bridge that holds the OTHER
# node's pod address, reached by a host route; the local pod's ping never leaves the node.
if [ "$(hostname)" = node01 ]; then other=10.244.2.2; else other=10.244.1.2; fi
sysctl -w net.ipv4.ip_forward=1
ip netns add stand-in
ip link add to-stand-in type veth peer name eth0 netns stand-in
ip link set to-stand-in master v-net-0 up
ip -n stand-in link set lo up && ip -n stand-in link set eth0 up
ip -n stand-in addr add "$other/32" dev eth0
ip -n stand-in route add default dev eth0
ip route add "$other/32" dev v-net-0
