# Runs on the host and on the LAN host at once. Host: blue routes the LAN through the host's
# bridge address, the LAN host's address is not faked on the host (it is reached straight out of
# eth0), and during blue's ping a MASQUERADE rule's counter moves and conntrack shows the ping
# leaving with the host's LAN address. LAN host: no route to 192.168.15.0/24, and it captures the
# ping arriving from the host's address.
case "$PRAXIS_NODE" in
  host)
    innetns blue true || exit 1
    state r innetns blue ip -4 route get "$lan_host"
    has " via $bridge_ip " "$r" || fail "blue does not route $lan_host through the host ($bridge_ip)"
    state rules iptables_rules -t nat POSTROUTING
    has "-s $ns_net .*-j MASQUERADE|-s $ns_net -j MASQUERADE" "$rules" \
      || fail "the host has no MASQUERADE rule for $ns_net in the nat table's POSTROUTING chain"
    holders=$(addr_holders "$lan_host")
    [ -z "$holders" ] || fail "the host holds the LAN host's address $lan_host itself ($(echo $holders)): blue's ping never leaves the host"
    dev=$(addr_dev "$host_lan")
    state r ip -4 route get "$lan_host"
    has "^$lan_host dev $dev " "$r" || fail "the host does not send to $lan_host straight out of its LAN interface $dev: $r"
    before=$(rule_counters -t nat POSTROUTING)
    barrier capture
    probe_ping -n blue "$lan_host" || fail "ping $lan_host from blue gets no reply"
    barrier probed
    moved=$(rules_moved "$before" "$(rule_counters -t nat POSTROUTING)")
    has "-j MASQUERADE" "$moved" || fail "blue's ping went out, but no MASQUERADE rule of the host rewrote it (its counters did not move)"
    state ct conntrack_entries -p icmp --orig-src "$blue_ip" --orig-dst "$lan_host"
    has "src=$lan_host dst=$host_lan " "$ct" || fail "conntrack on the host shows no ping from blue rewritten to the host's address $host_lan"
    ;;
  lan)
    if ip -4 route get "$blue_ip" >/dev/null 2>&1; then
      fail "the LAN host has a route to $ns_net; remove it: the namespaces must be reached through NAT"
    fi
    pcap_start fromhost -i "$(addr_dev "$lan_host")" "$(probe_icmp_filter) and src host $host_lan"
    barrier capture
    barrier probed
    seen=$(pcap_stop fromhost)
    [ -n "$seen" ] || fail "blue's pings never reached the LAN host from the host's address $host_lan"
    ;;
esac
