# Runs on both nodes at once: forwarding on, no NAT, the other subnet routed (not local), and each
# pod's ping, with this run's pattern, captured inside the pod on the other node, from the real
# source address (no NAT) and two routers away (TTL 62: this node, then the other one).
case "$PRAXIS_NODE" in
  node01) pod=pod-a mine=$pod_a other=$pod_b other_net=$node02_pods ;;
  node02) pod=pod-b mine=$pod_b other=$pod_a other_net=$node01_pods ;;
esac
[ "$(cat /proc/sys/net/ipv4/ip_forward)" = 1 ] || fail "$PRAXIS_NODE does not forward packets (net.ipv4.ip_forward = 0)"
state nat iptables_rules -t nat
if has '-j (MASQUERADE|SNAT|DNAT|NETMAP)' "$nat"; then
  fail "$PRAXIS_NODE has NAT rules (iptables -t nat -S): pods must reach each other without NAT"
fi
state ruleset nft list ruleset
if has '\b(masquerade|snat|dnat)\b' "$ruleset"; then
  fail "$PRAXIS_NODE has nftables NAT rules: pods must reach each other without NAT"
fi
state r ip -4 route get "$other"
if has '^local' "$r"; then fail "$other is a local address of $PRAXIS_NODE; it must live in a pod on the other node"; fi
innetns "$pod" true || exit 1
state a innetns "$pod" ip -4 -o addr show
if has " ${other_net%.*}\." "$a"; then fail "$pod holds an address of $other_net itself"; fi
pcap_start incoming -n "$pod" -i eth0 "$(probe_icmp_filter) and src host $other and dst host $mine and ip[8] == 62"
barrier capture
probe_ping -n "$pod" "$other"
ok=$?
barrier probed
seen=$(pcap_stop incoming)
[ $ok = 0 ] || fail "$pod on $PRAXIS_NODE cannot ping $other on the other node"
[ -n "$seen" ] || fail "$pod did not receive the other pod's pings from $other through both nodes: whatever answers for $other, it is not the pod on the other node"
