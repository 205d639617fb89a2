# old's namespace kept under another name; the name old and old's IPAM file removed by hand.
touch /run/netns/kept && mount --bind /run/netns/old /run/netns/kept
ip netns del old
rm -f /var/lib/cni/networks/mynet/10.22.0.3
