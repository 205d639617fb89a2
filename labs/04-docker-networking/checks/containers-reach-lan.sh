# Runs on docker-host and on the client at once. docker-host: a MASQUERADE rule for
# 172.17.0.0/16, the client's address not faked on docker-host, and during the web container's
# ping a MASQUERADE rule's counter moves and conntrack shows the ping leaving with docker-host's
# address. Client: no route to 172.17.0.0/16, and it captures the ping arriving from docker-host's
# address.
case "$PRAXIS_NODE" in
  docker-host)
    state rules iptables_rules -t nat POSTROUTING
    has "-s 172\.17\.0\.0/16 .*-j MASQUERADE" "$rules" \
      || fail "docker-host has no MASQUERADE rule for 172.17.0.0/16 in the nat table's POSTROUTING chain"
    innetns "$web_id" true || exit 1
    not_faked_here "$client_ip" "the client" "$host_lan"
    before=$(rule_counters -t nat POSTROUTING)
    barrier capture
    probe_ping -n "$web_id" "$client_ip" || fail "ping $client_ip from the web container gets no reply"
    barrier probed
    moved=$(rules_moved "$before" "$(rule_counters -t nat POSTROUTING)")
    has "-j MASQUERADE" "$moved" || fail "the web container's ping went out, but no MASQUERADE rule of docker-host rewrote it (its counters did not move)"
    state ct conntrack_entries -p icmp --orig-src "$web_ip" --orig-dst "$client_ip"
    has "src=$client_ip dst=$host_lan " "$ct" || fail "conntrack on docker-host shows no ping from the web container rewritten to docker-host's address $host_lan"
    ;;
  client)
    if ip -4 route get "$web_ip" >/dev/null 2>&1; then
      fail "the client has a route to 172.17.0.0/16; remove it: containers must reach the LAN through NAT"
    fi
    pcap_start fromhost -i "$(addr_dev "$client_ip")" "$(probe_icmp_filter) and src host $host_lan"
    barrier capture
    barrier probed
    seen=$(pcap_stop fromhost)
    [ -n "$seen" ] || fail "the web container's pings never reached the client from docker-host's address $host_lan"
    ;;
esac
