# Runs on docker-host and on the client at once. docker-host: a DNAT rule from TCP port 8000 to
# 172.17.0.2:80, web still listens on 80, web's address is web's alone; after the client's
# request, conntrack shows that very request (its source port is new for this run) forwarded to
# web:80. Client: http://192.168.1.10:8000/ returns web's page, with no stand-in address or NAT
# rule on the client.
case "$PRAXIS_NODE" in
  docker-host)
    state rules iptables_rules -t nat
    has "--dport $publish_port .*-j DNAT --to-destination $web_ip:80" "$rules" \
      || fail "docker-host has no DNAT rule from TCP port $publish_port to $web_ip:80 in the nat table"
    innetns "$web_id" true || exit 1
    state l innetns "$web_id" ss -ltn
    has ":80[[:space:]]" "$l" || fail "nothing listens on port 80 in the web container any more"
    held_only_by "$web_id" "$web_ip"
    barrier request
    barrier requested
    state ct conntrack_entries -p tcp --orig-port-src "$PRAXIS_PROBE_PORT" --orig-dst "$host_lan" --orig-port-dst "$publish_port"
    has "src=$web_ip dst=$client_ip sport=80 dport=$PRAXIS_PROBE_PORT " "$ct" \
      || fail "the client's request to $host_lan:$publish_port was not forwarded to the web container ($web_ip:80) by docker-host"
    ;;
  client)
    holders=$(addr_holders "$host_lan")
    [ -z "$holders" ] || fail "the client holds docker-host's address $host_lan itself: its requests never reach docker-host"
    state nat iptables_rules -t nat
    if has "-j (DNAT|REDIRECT)" "$nat"; then fail "the client redirects connections with NAT rules (iptables -t nat -S): publishing belongs on docker-host"; fi
    barrier request
    page=$(probe_http "http://$host_lan:$publish_port/")
    ok=$?
    barrier requested
    [ $ok = 0 ] || fail "http://$host_lan:$publish_port/ does not answer from the client"
    has 'container web' "$page" || fail "http://$host_lan:$publish_port/ answers, but not with the web container's page"
    ;;
esac
