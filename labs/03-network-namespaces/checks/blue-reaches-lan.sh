# On the host: blue routes the LAN via the host's bridge address, a MASQUERADE rule covers
# 192.168.15.0/24, and blue's ping to the LAN host gets replies. On the LAN host: it has no route
# to 192.168.15.0/24, so replies only come back because of the NAT.
nat_rules() { { iptables -t nat -S "$1"; iptables-legacy -t nat -S "$1"; } 2>/dev/null; }
case "$PRAXIS_NODE" in
  host)
    innetns blue true || exit 1
    innetns blue ip -4 route get "$lan_host" 2>/dev/null | grep -q " via $bridge_ip " \
      || fail "blue does not route $lan_host through the host ($bridge_ip)"
    nat_rules POSTROUTING | grep -- "-s $ns_net" | grep -q -- '-j MASQUERADE' \
      || fail "the host has no MASQUERADE rule for $ns_net in the nat table's POSTROUTING chain"
    innetns blue ping -c 3 -i 0.3 -W 2 -q "$lan_host" >/dev/null 2>&1 || fail "ping $lan_host from blue gets no reply"
    ;;
  lan)
    if ip -4 route get "$blue_ip" 2>/dev/null | grep -q ' via '; then
      fail "the LAN host has a route to $ns_net; remove it: the namespaces must be reached through NAT"
    fi
    ;;
esac
