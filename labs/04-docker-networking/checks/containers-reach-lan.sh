# On docker-host: a MASQUERADE rule for 172.17.0.0/16 in nat POSTROUTING, and the web container
# reaches the client. On the client: no route to 172.17.0.0/16 (replies come back through NAT).
nat_rules() { { iptables -t nat -S "$1"; iptables-legacy -t nat -S "$1"; } 2>/dev/null; }
case "$PRAXIS_NODE" in
  docker-host)
    nat_rules POSTROUTING | grep -- '-s 172.17.0.0/16' | grep -q -- '-j MASQUERADE' \
      || fail "docker-host has no MASQUERADE rule for 172.17.0.0/16 in the nat table's POSTROUTING chain"
    innetns "$web_id" true || exit 1
    innetns "$web_id" ping -c 3 -i 0.3 -W 2 -q "$client_ip" >/dev/null 2>&1 || fail "ping $client_ip from the web container gets no reply"
    ;;
  client)
    if ip -4 route get "$web_ip" 2>/dev/null | grep -q ' via '; then
      fail "the client has a route to 172.17.0.0/16; remove it: containers must reach the LAN through NAT"
    fi
    ;;
esac
