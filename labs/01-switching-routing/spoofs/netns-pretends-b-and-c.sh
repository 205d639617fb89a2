# On A, a cable to a namespace of A's own that answers as B (ARP for 192.168.1.6) and as C
# (192.168.2.5), and A's "route through B" leads into it. C gets a route back too.
ip netns add c
ip link add eth0-c type veth peer name x netns c
ip link set eth0-c up
ip -n c link set lo up
ip -n c link set x up
ip -n c addr add 192.168.1.6/32 dev x
ip -n c addr add 192.168.2.5/32 dev x
ip -n c route add 192.168.1.5/32 dev x
ip route replace 192.168.2.0/24 via 192.168.1.6 dev eth0-c onlink
ping -c 1 -W 2 192.168.2.5
