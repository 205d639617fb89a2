# A direct cable between red and blue.
if ! ip -n red link show veth-red >/dev/null 2>&1; then
  ip link add veth-red type veth peer name veth-blue
  ip link set veth-red netns red
  ip link set veth-blue netns blue
fi
ip -n red addr replace 192.168.15.1/24 dev veth-red
ip -n blue addr replace 192.168.15.2/24 dev veth-blue
ip -n red link set veth-red up
ip -n blue link set veth-blue up
ip netns exec red ping -c 2 -i 0.2 -W 2 192.168.15.2
