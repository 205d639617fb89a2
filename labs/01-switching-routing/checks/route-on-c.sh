# C's kernel must send the whole of 192.168.1.0/24 (A's address and another one) to B's eth1
# address, out of C's own link to lan2: a route to that network or a default route.
dev=$(addr_dev "$host_c")
[ -n "$dev" ] || fail "C has lost its address $host_c"
route=$(ip -4 route get "$host_a" 2>/dev/null | head -n1)
case "$route" in
  *" via $router_right "*) ;;
  *) fail "C does not send packets for 192.168.1.0/24 through B ($router_right)" ;;
esac
routes_via 192.168.1.0/24 "$router_right" "$dev" "$host_a" 192.168.1.77
