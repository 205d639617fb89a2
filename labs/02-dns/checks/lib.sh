# Shared by the checks of this lab (run in the trusted grader, never in a node).

# dns_reached_from_a: the DNS server's address is not A's own (nor a namespace's of A), and A sends
# to it straight out of its LAN interface, the way to the DNS server node.
dns_reached_from_a() {
  local holders dev route
  holders=$(addr_holders "$dns_ip")
  [ -z "$holders" ] || fail "A holds the DNS server's address $dns_ip itself (in $(echo $holders)): A's lookups never leave A"
  dev=$(addr_dev "$host_a")
  route=$(ip -4 route get "$dns_ip" 2>/dev/null | head -n1)
  case "$route" in
    "$dns_ip dev $dev "*) ;;
    *) fail "A does not send to the DNS server $dns_ip over the LAN: $route" ;;
  esac
}

# capture_queries_from_a: starts capturing, on the DNS server node, A's DNS queries (pcap_stop q).
capture_queries_from_a() {
  pcap_start q -i "$(addr_dev "$dns_ip")" "udp dst port 53 and src host $host_a"
}
