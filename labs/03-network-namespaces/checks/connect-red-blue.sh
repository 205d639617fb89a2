# red holds 192.168.15.1 on veth-red, blue holds 192.168.15.2 on veth-blue, the far end of
# veth-red is veth-blue in blue (or, after the bridge task, a port of v-net-0), nobody else holds
# those addresses, and red's ping is captured arriving in blue.
for ns in red blue; do innetns "$ns" true || exit 1; done
innetns red ip -o link show veth-red >/dev/null 2>&1 || fail "red has no interface veth-red"
innetns blue ip -o link show veth-blue >/dev/null 2>&1 || fail "blue has no interface veth-blue"
state a innetns red ip -4 -o addr show dev veth-red
has " $red_ip/" "$a" || fail "veth-red in red does not have the address $red_ip"
state a innetns blue ip -4 -o addr show dev veth-blue
has " $blue_ip/" "$a" || fail "veth-blue in blue does not have the address $blue_ip"
state l innetns red ip -o link show veth-red
has 'state UP' "$l" || fail "veth-red in red is not up (both ends of the cable must be up)"
state l innetns blue ip -o link show veth-blue
has 'state UP' "$l" || fail "veth-blue in blue is not up (both ends of the cable must be up)"
state all innetns red ip -4 -o addr show
if has " $blue_ip/" "$all"; then fail "red holds $blue_ip itself"; fi
peer=$(veth_peer -n red veth-red) || fail "veth-red in red is not one end of a veth pair"
case "$peer" in
  "blue veth-blue") ;;
  "@node "*) [ "$(link_master "${peer#@node }")" = v-net-0 ] || fail "the other end of veth-red is ${peer#@node } on the host, not veth-blue in blue" ;;
  *) fail "the other end of veth-red is ${peer#* } in the namespace ${peer%% *}, not veth-blue in blue" ;;
esac
held_only_by red "$red_ip"
held_only_by blue "$blue_ip"
state r innetns red ip -4 route get "$blue_ip"
has 'dev veth-red' "$r" || fail "red has no route to $blue_ip through veth-red (did you give the addresses a /24 prefix?)"
red_reaches_blue
