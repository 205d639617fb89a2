# old's namespace kept alive by a process started in it; the name and the IPAM file removed by hand.
ip netns exec old setsid sleep infinity </dev/null >/dev/null 2>&1 &
sleep 0.3
ip netns del old
rm -f /var/lib/cni/networks/mynet/10.22.0.3
