# old's namespace bind-mounted outside /run/netns; the name and the IPAM file removed by hand.
touch /root/.old-ns && mount --bind /run/netns/old /root/.old-ns
ip netns del old
rm -f /var/lib/cni/networks/mynet/10.22.0.3
