# A's kernel must send the whole of 192.168.2.0/24 (C's address and another one) to B's eth0
# address, out of A's own link to lan1.
dev=$(addr_dev "$host_a")
[ -n "$dev" ] || fail "A has lost its address $host_a"
route=$(ip -4 route get "$host_c" 2>/dev/null | head -n1)
case "$route" in
  *" via $router_left "*) ;;
  *)
    if ip -4 route show 192.168.2.0/24 | grep -q .; then
      fail "A has a route to 192.168.2.0/24, but not through B ($router_left): $(ip -4 route show 192.168.2.0/24)"
    fi
    fail "A has no route to 192.168.2.0/24 (ip route shows: $(ip -4 route | tr '\n' ';'))"
    ;;
esac
routes_via 192.168.2.0/24 "$router_left" "$dev" "$host_c" 192.168.2.77
