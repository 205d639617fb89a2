# The grader shares B's network namespace, so its own /proc/sys/net shows B's real setting even if
# the learner bind-mounted something over B's /proc or replaced sysctl.
value=$(cat /proc/sys/net/ipv4/ip_forward)
[ "$value" = 1 ] || fail "IPv4 forwarding is off on B (net.ipv4.ip_forward = $value)"
