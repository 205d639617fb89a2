# v-net-0 is an up bridge; the far end of veth-red (in red) is veth-red-br on the host, a port of
# v-net-0 (and the same for blue), found by the kernel's record of the peer's namespace, not by
# names or indexes; red's ping crosses the bridge: captured on veth-red-br, arriving in blue.
[ "$(link_kind v-net-0)" = bridge ] || fail "the host has no bridge named v-net-0"
is_up v-net-0 || fail "v-net-0 is down (ip link set dev v-net-0 up)"
for ns in red blue; do
  innetns "$ns" true || exit 1
  br=veth-$ns-br
  ip -o link show "$br" >/dev/null 2>&1 || fail "the host has no interface $br"
  [ "$(link_master "$br")" = v-net-0 ] || fail "$br is not attached to v-net-0"
  is_up "$br" || fail "$br is down"
  peer=$(veth_peer -n "$ns" "veth-$ns") || fail "$ns has no veth interface named veth-$ns"
  [ "$peer" = "@node $br" ] || fail "the other end of veth-$ns is not $br on the host (it is ${peer#* } in ${peer%% *}; veth-$ns is still paired with something else)"
done
state a innetns red ip -4 -o addr show dev veth-red
has " $red_ip/" "$a" || fail "veth-red in red does not have the address $red_ip"
state a innetns blue ip -4 -o addr show dev veth-blue
has " $blue_ip/" "$a" || fail "veth-blue in blue does not have the address $blue_ip"
held_only_by red "$red_ip"
held_only_by blue "$blue_ip"
pcap_start bridged -i veth-red-br "$(probe_icmp_filter)"
red_reaches_blue
seen=$(pcap_stop bridged)
[ -n "$seen" ] || fail "red's pings to blue do not go through veth-red-br and the bridge"
