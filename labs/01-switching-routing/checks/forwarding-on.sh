# The grader shares B's network namespace, so its own /proc/sys/net shows B's real settings even
# if the learner bind-mounted something over B's /proc or replaced sysctl. Forwarding must be on
# globally and on both of B's interfaces (the kernel forwards a packet only when the interface it
# arrived on forwards), and the kernel itself must say it would forward between A and C.
value=$(cat /proc/sys/net/ipv4/ip_forward)
[ "$value" = 1 ] || fail "IPv4 forwarding is off on B (net.ipv4.ip_forward = $value)"
left=$(addr_dev "$router_left")
right=$(addr_dev "$router_right")
[ -n "$left" ] && [ -n "$right" ] || fail "B has lost one of its addresses $router_left, $router_right"
for dev in "$left" "$right"; do
  f=$(cat "/proc/sys/net/ipv4/conf/$dev/forwarding")
  [ "$f" = 1 ] || fail "B does not forward packets that arrive on $dev (net.ipv4.conf.$dev.forwarding = $f)"
done
ip -4 route get "$host_c" from "$host_a" iif "$left" >/dev/null 2>&1 \
  || fail "B would not forward a packet from A ($host_a) to C ($host_c)"
ip -4 route get "$host_a" from "$host_c" iif "$right" >/dev/null 2>&1 \
  || fail "B would not forward a packet from C ($host_c) back to A ($host_a)"
