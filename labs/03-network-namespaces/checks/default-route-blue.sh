# blue's default route goes through the host's bridge address, and the kernel uses it: addresses
# from both halves of the address space (asked of blue's routing decision, nothing is sent) leave
# blue via 192.168.15.5 out of veth-blue.
innetns blue true || exit 1
state route innetns blue ip -4 route show default
[ -n "$route" ] || fail "blue has no default route"
has "via $bridge_ip " "$route" || fail "blue's default route is not via $bridge_ip: $route"
for far in 10.200.0.7 203.0.113.7; do
  r=$(innetns blue ip -4 route get "$far" 2>/dev/null | head -n1)
  has " via $bridge_ip dev veth-blue " "$r" || fail "blue does not use its default route for $far: ${r:-no route}"
done
