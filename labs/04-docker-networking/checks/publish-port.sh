# On docker-host: a DNAT rule for TCP port 8000 to 172.17.0.2:80 in the nat table, and the web
# container still listens on 80. On the client: http://192.168.1.10:8000/ returns web's page.
nat_rules() { { iptables -t nat -S; iptables-legacy -t nat -S; } 2>/dev/null; }
case "$PRAXIS_NODE" in
  docker-host)
    nat_rules | grep -- "--dport $publish_port " | grep -q -- "-j DNAT --to-destination $web_ip:80" \
      || fail "docker-host has no DNAT rule from TCP port $publish_port to $web_ip:80 in the nat table"
    innetns "$web_id" true || exit 1
    innetns "$web_id" ss -ltn 2>/dev/null | grep -qE ':80[[:space:]]' || fail "nothing listens on port 80 in the web container any more"
    ;;
  client)
    page=$(curl -s --max-time 3 "http://$host_lan:$publish_port/") || fail "http://$host_lan:$publish_port/ does not answer from the client"
    printf '%s\n' "$page" | grep -q 'container web' || fail "http://$host_lan:$publish_port/ answers, but not with the web container's page"
    ;;
esac
