# v-net-0 is an up bridge; veth-red-br and veth-blue-br are its ports; the peer of veth-red (in
# red) is veth-red-br (and the same for blue), found by the peer's ifindex; red reaches blue.
ip -d -o link show v-net-0 2>/dev/null | grep -q ' bridge ' || fail "the host has no bridge named v-net-0"
ip -o link show v-net-0 | grep -qE '<([^>]*,)?UP[,>]' || fail "v-net-0 is down (ip link set dev v-net-0 up)"
for ns in red blue; do
  innetns "$ns" true || exit 1
  br=veth-$ns-br
  line=$(ip -o link show "$br" 2>/dev/null) || fail "the host has no interface $br"
  printf '%s\n' "$line" | grep -q ' master v-net-0 ' || fail "$br is not attached to v-net-0"
  printf '%s\n' "$line" | grep -qE '<([^>]*,)?UP[,>]' || fail "$br is down"
  peer=$(innetns "$ns" ip -o link show "veth-$ns" 2>/dev/null | sed -n 's/^[0-9]*: veth-[a-z]*@if\([0-9]*\):.*/\1/p')
  [ -n "$peer" ] || fail "$ns has no veth interface named veth-$ns"
  index=${line%%:*}
  [ "$peer" = "$index" ] || fail "the other end of veth-$ns is not $br (veth-$ns is still paired with something else)"
done
innetns red ip -4 -o addr show dev veth-red | grep -q " $red_ip/" || fail "veth-red in red does not have the address $red_ip"
innetns blue ip -4 -o addr show dev veth-blue | grep -q " $blue_ip/" || fail "veth-blue in blue does not have the address $blue_ip"
innetns red ping -c 3 -i 0.3 -W 2 -q "$blue_ip" >/dev/null 2>&1 || fail "ping $blue_ip from red through v-net-0 gets no reply"
