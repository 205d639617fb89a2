# old must be gone (namespace and veth) while pod-b and the bridge stay; nothing of old may survive
# anywhere on node02: no namespace (named, renamed, bind-mounted elsewhere or held by a process)
# still holds old's address.
[ ! -e "$(nodepath /run/netns/old)" ] || fail "the network namespace old still exists on node02"
ip -o link show dev veth-old >/dev/null 2>&1 && fail "veth-old still exists on node02"
holders=$(addr_holders "$old_ip")
[ -z "$holders" ] || fail "old's interface still exists, with its address $old_ip, in a namespace of node02 ($(echo $holders)): removing the names is not removing the pod"
peer=$(veth_peer -n pod-b eth0) || fail "pod-b lost its cable"
[ "$(link_master "${peer#@node }")" = v-net-0 ] || fail "pod-b is no longer attached to v-net-0: only old was to be removed"
state a innetns pod-b ip -4 -o addr show dev eth0
has " $pod_b/" "$a" || fail "pod-b lost its address"
