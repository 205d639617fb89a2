# pod-a: eth0 with its address in its own namespace, its far end (the kernel's record of the
# peer's namespace, not an interface number) a port of v-net-0 on node01, a default route via the
# bridge address, pod-a's address in pod-a only, and pod-a's ping to its gateway captured crossing
# that cable.
innetns pod-a true || exit 1
state a innetns pod-a ip -4 -o addr show dev eth0
has " $pod_a/24 " "$a" || fail "pod-a has no eth0 with the address $pod_a/24"
state l innetns pod-a ip -o link show dev eth0
has 'state UP' "$l" || fail "eth0 in pod-a is not up"
peer=$(veth_peer -n pod-a eth0) || fail "eth0 in pod-a is not one end of a veth pair"
case "$peer" in
  "@node "*) ;;
  *) fail "the node end of pod-a's veth is not on node01: it is ${peer#* } in the namespace ${peer%% *}" ;;
esac
port=${peer#@node }
[ "$(link_master "$port")" = v-net-0 ] || fail "the node end of pod-a's veth ($port) is not attached to v-net-0"
held_only_by pod-a "$pod_a"
state r innetns pod-a ip -4 route get 203.0.113.7
has " via $node01_bridge dev eth0 " "$r" || fail "pod-a has no default route via $node01_bridge"
pcap_start cable -i "$port" "$(probe_icmp_filter) and src host $pod_a"
probe_ping -n pod-a "$node01_bridge" || { pcap_stop cable >/dev/null; fail "pod-a cannot ping its gateway $node01_bridge"; }
seen=$(pcap_stop cable)
[ -n "$seen" ] || fail "pod-a's pings to $node01_bridge do not cross its cable into v-net-0"
