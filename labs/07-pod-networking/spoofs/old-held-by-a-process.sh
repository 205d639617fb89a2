# On node02: old's veth renamed; old's namespace kept alive by a process inside it, its name removed.
ip link set veth-old down && ip link set veth-old name vethkept && ip link set vethkept up
ip netns exec old setsid sleep infinity </dev/null >/dev/null 2>&1 &
sleep 0.3
ip netns del old
