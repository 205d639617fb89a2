# On node02: old's veth renamed, old's namespace kept under another name; pod-b untouched.
ip link set veth-old down && ip link set veth-old name vethkept && ip link set vethkept up
touch /run/netns/kept && mount --bind /run/netns/old /run/netns/kept
ip netns del old
