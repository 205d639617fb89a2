# old must be gone (namespace and veth) while pod-b and the bridge stay.
[ ! -e "$(nodepath /run/netns/old)" ] || fail "the network namespace old still exists on node02"
ip -o link show dev veth-old >/dev/null 2>&1 && fail "veth-old still exists on node02"
ip -o link show master v-net-0 2>/dev/null | grep -q ': veth-pod-b@' || fail "pod-b is no longer attached to v-net-0: only old was to be removed"
innetns pod-b ip -4 -o addr show dev eth0 | grep -q " $pod_b/" || fail "pod-b lost its address"
