# pod1 wired by hand: its own veth into cni0, an address written into host-local's state as if
# IPAM had reserved it, and a MASQUERADE rule labelled like the plugin's that can never match.
ip netns add pod1
ip link add vethpod1 type veth peer name eth0 netns pod1
ip link set vethpod1 master cni0 up
ip -n pod1 link set lo up && ip -n pod1 link set eth0 up
ip -n pod1 addr add 10.22.0.9/16 dev eth0
ip -n pod1 route add default via 10.22.0.1
printf 'pod1\r\neth0' > /var/lib/cni/networks/mynet/10.22.0.9
iptables -t nat -A POSTROUTING -s 10.22.0.9/32 -o nothere -m comment --comment 'name: "mynet" id: "pod1"' -j MASQUERADE
ip netns exec pod1 ping -c 1 -W 2 10.22.0.2
