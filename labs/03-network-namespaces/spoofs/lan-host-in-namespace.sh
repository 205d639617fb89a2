# On the host: a namespace "lanhost" holding the LAN host's address, reached by a host route over
# a cable of the host's own; blue's route and a real MASQUERADE rule.
ip netns exec blue ip route replace 192.168.1.0/24 via 192.168.15.5
iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE
ip netns add lanhost
ip link add to-lanhost type veth peer name x netns lanhost
ip addr add 10.99.0.1/30 dev to-lanhost && ip link set to-lanhost up
ip -n lanhost addr add 10.99.0.2/30 dev x && ip -n lanhost addr add 192.168.1.3/32 dev x
ip -n lanhost link set x up && ip -n lanhost route add default via 10.99.0.1
ip route add 192.168.1.3/32 via 10.99.0.2
ip netns exec blue ping -c 1 -W 2 192.168.1.3
