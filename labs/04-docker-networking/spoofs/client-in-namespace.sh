# On docker-host: a namespace holding the client's address, reached by a host route over a cable
# of docker-host's own, and Docker's real rule.
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
ip netns add fakeclient
ip link add to-fake type veth peer name x netns fakeclient
ip addr add 10.99.0.1/30 dev to-fake && ip link set to-fake up
ip -n fakeclient addr add 10.99.0.2/30 dev x && ip -n fakeclient addr add 192.168.1.20/32 dev x
ip -n fakeclient link set x up && ip -n fakeclient route add default via 10.99.0.1
ip route add 192.168.1.20/32 via 10.99.0.2
ip netns exec b3165c10a92b ping -c 1 -W 2 192.168.1.20
