# On node01: v-net-0 with a decoy port; pod-a's eth0 leads into a namespace "evil" whose end takes
# the decoy port's interface number, and evil answers as the gateway.
ip link add v-net-0 type bridge && ip link set v-net-0 up && ip addr add 10.244.1.1/24 dev v-net-0
ip link add decoy type veth peer name junk && ip link set decoy master v-net-0 up
n=$(cat /sys/class/net/decoy/ifindex)
ip netns add pod-a && ip netns add evil
ip -n evil link add p index "$n" type veth peer name eth0 netns pod-a
ip -n evil addr add 10.244.1.1/24 dev p && ip -n evil link set p up
ip -n pod-a link set lo up && ip -n pod-a link set eth0 up
ip -n pod-a addr add 10.244.1.2/24 dev eth0
ip -n pod-a route add default via 10.244.1.1
ip netns exec pod-a ping -c 1 -W 2 10.244.1.1
