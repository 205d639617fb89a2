# "v-net-0" is no bridge but a veth whose far end is in a namespace holding red's address.
ip netns add fake
ip link add v-net-0 type veth peer name x netns fake
ip addr add 192.168.15.5/24 dev v-net-0
ip link set v-net-0 up
ip -n fake addr add 192.168.15.1/24 dev x
ip -n fake link set x up
ping -c 1 -W 2 192.168.15.1
