# Passes when C sends packets for A's network through B's eth1 address.
route=$(ip -4 route get "$host_a" 2>/dev/null | head -n1)
case "$route" in
  *" via $router_right "*) exit 0 ;;
esac
fail "C does not send packets for 192.168.1.0/24 through B ($router_right)"
