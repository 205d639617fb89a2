# The MAC of B's interface in 192.168.1.0/24, read with the grader's own ip.
dev=$(ip -4 -o addr show to 192.168.1.0/24 | awk '{print $2}' | head -n1)
[ -n "$dev" ] || { echo "no interface of B is in 192.168.1.0/24" >&2; exit 1; }
ip -o link show dev "$dev" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
