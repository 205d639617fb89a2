# On node01: controlplane's address in a namespace of node01's own, reached by a host route over
# a cable of node01's, with a listener on 6443 there.
ip netns add fakecp
ip link add to-fakecp type veth peer name x netns fakecp
ip link set to-fakecp up
ip -n fakecp link set lo up && ip -n fakecp link set x up
ip -n fakecp addr add 192.168.121.10/32 dev x
ip -n fakecp route add 192.168.121.11/32 dev x
ip route add 192.168.121.10/32 dev to-fakecp
ip netns exec fakecp setsid socat TCP-LISTEN:6443,fork,reuseaddr OPEN:/dev/null,rdonly </dev/null >/dev/null 2>&1 &
sleep 0.3
