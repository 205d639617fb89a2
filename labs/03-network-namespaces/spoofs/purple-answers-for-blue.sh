# veth-red and veth-blue are there, named right, addressed right and up; but both cables lead into
# a third namespace, purple, which holds blue's address itself and answers red's pings.
ip netns add red; ip netns add blue; ip netns add purple
ip link add veth-red netns red type veth peer name x netns purple
ip link add veth-blue netns blue type veth peer name y netns purple
ip -n red addr add 192.168.15.1/24 dev veth-red
ip -n blue addr add 192.168.15.2/24 dev veth-blue
ip -n purple addr add 192.168.15.2/24 dev x
for l in "red veth-red" "blue veth-blue" "purple x" "purple y"; do set -- $l; ip -n $1 link set $2 up; done
ip netns exec red ping -c 1 -W 2 192.168.15.2
