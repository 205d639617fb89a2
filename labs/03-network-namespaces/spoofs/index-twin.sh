# v-net-0 with ports named veth-red-br and veth-blue-br, up; but red's and blue's cables lead into
# a namespace, purple, with a bridge of its own. purple's ends take the interface numbers of the
# host's veth-*-br, so "veth-red@ifN" points at veth-red-br by number.
ip link add v-net-0 type bridge && ip link set v-net-0 up
ip netns add purple
ip -n purple link add pbr type bridge && ip -n purple link set pbr up
for ns in red blue; do
  ip link add veth-$ns-br type veth peer name junk-$ns
  ip link set veth-$ns-br master v-net-0 up
  n=$(cat /sys/class/net/veth-$ns-br/ifindex)
  ip -n purple link add p-$ns index $n type veth peer name veth-$ns netns $ns
  ip -n purple link set p-$ns master pbr up
  ip -n $ns link set veth-$ns up
done
ip -n red addr add 192.168.15.1/24 dev veth-red
ip -n blue addr add 192.168.15.2/24 dev veth-blue
ip netns exec red ping -c 1 -W 2 192.168.15.2
