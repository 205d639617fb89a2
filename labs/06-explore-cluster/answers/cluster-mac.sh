# The MAC of the interface that holds this node's address in the cluster network.
dev=$(ip -4 -o addr show to "$cluster_net" | awk '{print $2}' | head -n1)
[ -n "$dev" ] || { echo "no interface of $PRAXIS_NODE is in $cluster_net" >&2; exit 1; }
ip -o link show dev "$dev" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
