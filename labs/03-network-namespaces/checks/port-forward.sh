# Runs on the host and on the LAN host at once. Host: a DNAT rule to 192.168.15.2:80, a listener
# on port 80 in blue, blue's address in blue only; after the LAN host's request, conntrack on the
# host shows that very request (its source port is new for this run) forwarded to blue:80. LAN
# host: http://192.168.1.2/ returns blue's page, with no stand-in address or NAT rule on the LAN
# host.
case "$PRAXIS_NODE" in
  host)
    state rules iptables_rules -t nat PREROUTING
    has "-j DNAT --to-destination $blue_ip:80" "$rules" \
      || fail "the host has no DNAT rule to $blue_ip:80 in the nat table's PREROUTING chain"
    innetns blue true || exit 1
    state l innetns blue ss -ltn
    has ":80[[:space:]]" "$l" || fail "nothing listens on TCP port 80 in blue"
    held_only_by blue "$blue_ip"
    barrier request
    barrier requested
    state ct conntrack_entries -p tcp --orig-port-src "$PRAXIS_PROBE_PORT" --orig-dst "$host_lan" --orig-port-dst 80
    has "src=$blue_ip dst=$lan_host sport=80 dport=$PRAXIS_PROBE_PORT " "$ct" \
      || fail "the LAN host's request to $host_lan:80 was not forwarded to blue ($blue_ip:80) by the host"
    ;;
  lan)
    holders=$(addr_holders "$host_lan")
    [ -z "$holders" ] || fail "the LAN host holds the host's address $host_lan itself: its requests never reach the host"
    state nat iptables_rules -t nat
    if has "-j (DNAT|REDIRECT)" "$nat"; then fail "the LAN host redirects connections with NAT rules (iptables -t nat -S): the forward belongs on the host"; fi
    barrier request
    page=$(probe_http "http://$host_lan/")
    ok=$?
    barrier requested
    [ $ok = 0 ] || fail "http://$host_lan/ does not answer from the LAN host"
    has 'blue namespace' "$page" || fail "http://$host_lan/ answers, but not with blue's page"
    ;;
esac
