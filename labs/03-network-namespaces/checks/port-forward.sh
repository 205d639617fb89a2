# On the host: a DNAT rule to 192.168.15.2:80 in nat PREROUTING and a listener on port 80 in
# blue. On the LAN host: http://192.168.1.2/ returns blue's page (the grader's curl, from the LAN
# host's network namespace).
nat_rules() { { iptables -t nat -S "$1"; iptables-legacy -t nat -S "$1"; } 2>/dev/null; }
case "$PRAXIS_NODE" in
  host)
    nat_rules PREROUTING | grep -q -- "-j DNAT --to-destination $blue_ip:80" \
      || fail "the host has no DNAT rule to $blue_ip:80 in the nat table's PREROUTING chain"
    innetns blue true || exit 1
    innetns blue ss -ltn 2>/dev/null | grep -qE ':80[[:space:]]' || fail "nothing listens on TCP port 80 in blue"
    if ip -4 -o addr show | grep -q " $blue_ip/"; then fail "the host holds $blue_ip itself"; fi
    ;;
  lan)
    page=$(curl -s --max-time 3 "http://$host_lan/") || fail "http://$host_lan/ does not answer from the LAN host"
    printf '%s\n' "$page" | grep -q 'blue namespace' || fail "http://$host_lan/ answers, but not with blue's page"
    ;;
esac
