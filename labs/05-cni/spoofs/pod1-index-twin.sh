# pod1's eth0 leads into a namespace "evil" whose end takes the number of web's real cni0 port;
# evil answers as web and as the gateway. host-local's state and the NAT rule are faked as well.
ip netns add pod1
ip netns add evil
webport=$(ip -o link show master cni0 | head -n1 | cut -d: -f1)
ip -n evil link add p index "$webport" type veth peer name eth0 netns pod1
ip -n evil addr add 10.22.0.2/16 dev p && ip -n evil addr add 10.22.0.1/16 dev p && ip -n evil link set p up
ip -n pod1 link set lo up && ip -n pod1 link set eth0 up
ip -n pod1 addr add 10.22.0.9/16 dev eth0
ip -n pod1 route add default via 10.22.0.1
printf 'pod1\r\neth0' > /var/lib/cni/networks/mynet/10.22.0.9
iptables -t nat -A POSTROUTING -s 10.22.0.9/32 -m comment --comment 'name: "mynet" id: "pod1"' -j MASQUERADE
ip netns exec pod1 ping -c 1 -W 2 10.22.0.2
