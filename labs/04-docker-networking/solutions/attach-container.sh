# What Docker does when it starts a bridge-mode container.
[ -e /run/netns/app ] || ip netns add app
ip -n app link show eth0 >/dev/null 2>&1 || ip link add veth-app type veth peer name eth0 netns app
ip link set veth-app master docker0 up
ip -n app link set lo up
ip -n app addr replace 172.17.0.3/16 dev eth0
ip -n app link set eth0 up
ip -n app route replace default via 172.17.0.1
ip netns exec app ping -c 2 -i 0.2 -W 2 172.17.0.2
