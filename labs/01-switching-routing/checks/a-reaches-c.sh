# Runs on A and on C. On A: C's network must not be local (no faking C's address on A), the path
# must go through B, and a ping must get replies. On C: replies to A must go through B.
case "$PRAXIS_NODE" in
  a)
    if ip -4 -o addr show | grep -q " 192\.168\.2\."; then
      fail "A holds an address in 192.168.2.0/24; C must be reached through B, not faked locally"
    fi
    ip -4 route get "$host_c" | grep -q " via $router_left " || fail "A does not route $host_c through B"
    ping -c 2 -W 1 -q "$host_c" >/dev/null 2>&1 || fail "ping $host_c from A gets no reply"
    ;;
  c)
    ip -4 route get "$host_a" | grep -q " via $router_right " || fail "C does not route replies to $host_a through B"
    ;;
esac
