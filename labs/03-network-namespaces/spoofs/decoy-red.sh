# The bridge and the host's address are right, but red's cable is down; a namespace fake-red,
# plugged into v-net-0, holds red's address and answers for it.
ip -n red link set veth-red down
ip neigh flush dev v-net-0
ip netns add fake-red
ip link add fr-br type veth peer name x netns fake-red
ip link set fr-br master v-net-0 up
ip -n fake-red addr add 192.168.15.1/24 dev x
ip -n fake-red link set x up
ping -c 1 -W 2 192.168.15.1
