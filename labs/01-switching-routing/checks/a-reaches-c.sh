# Runs on A and on C at once. A pings C with a pattern new for this run; C captures on its own
# link to lan2 and must see those echo requests arrive from A's address, one router away (TTL 63:
# through B, not answered on the way). On A: no address of C's network, the route through B out
# of A's link to lan1, and replies. On C: replies go back through B.
case "$PRAXIS_NODE" in
  a)
    state addrs ip -4 -o addr show
    if has " 192\.168\.2\." "$addrs"; then
      fail "A holds an address in 192.168.2.0/24; C must be reached through B, not faked locally"
    fi
    dev=$(addr_dev "$host_a")
    route=$(ip -4 route get "$host_c" 2>/dev/null | head -n1)
    case "$route" in
      *" via $router_left dev $dev "*) ;;
      *) fail "A does not route $host_c through B out of its link to lan1 ($route)" ;;
    esac
    barrier probe
    probe_ping "$host_c" || fail "ping $host_c from A gets no reply"
    barrier probed
    ;;
  c)
    route=$(ip -4 route get "$host_a" 2>/dev/null | head -n1)
    case "$route" in *" via $router_right "*) ;; *) fail "C does not route replies to $host_a through B" ;; esac
    dev=$(addr_dev "$host_c")
    [ -n "$dev" ] || fail "C has lost its address $host_c"
    pcap_start probe -i "$dev" "$(probe_icmp_filter) and src host $host_a and dst host $host_c and ip[8] == 63"
    barrier probe
    barrier probed
    seen=$(pcap_stop probe)
    [ -n "$seen" ] || fail "none of A's pings reached C through B: whatever answers A, it is not C"
    ;;
esac
