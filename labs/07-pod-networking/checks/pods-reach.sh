# Run on both nodes: forwarding on, no NAT, the other subnet is routed (not local), and a real
# ping from this node's pod to the pod on the other node, from inside the pod's namespace.
case "$PRAXIS_NODE" in
  node01) pod=pod-a other=$pod_b other_net=$node02_pods ;;
  node02) pod=pod-b other=$pod_a other_net=$node01_pods ;;
esac
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "$PRAXIS_NODE does not forward packets (net.ipv4.ip_forward = 0)"
if iptables_rules -t nat | grep -Eq -- '-j (MASQUERADE|SNAT|DNAT|NETMAP)'; then
  fail "$PRAXIS_NODE has NAT rules (iptables -t nat -S): pods must reach each other without NAT"
fi
if nft list ruleset 2>/dev/null | grep -Eq '\b(masquerade|snat|dnat)\b'; then
  fail "$PRAXIS_NODE has nftables NAT rules: pods must reach each other without NAT"
fi
ip -4 route get "$other" 2>/dev/null | grep -q '^local' && fail "$other is a local address of $PRAXIS_NODE; it must live in a pod on the other node"
innetns "$pod" true || exit 1
innetns "$pod" ip -4 -o addr show | grep -q " ${other_net%.*}\." && fail "$pod holds an address of $other_net itself"
innetns "$pod" ping -c 2 -W 2 -q "$other" >/dev/null 2>&1 || fail "$pod on $PRAXIS_NODE cannot ping $other on the other node"
