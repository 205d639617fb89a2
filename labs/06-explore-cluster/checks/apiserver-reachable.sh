# Runs on node01 and on controlplane at once. node01 opens a TCP connection to controlplane:6443
# from a source port new for this run; controlplane captures on its own link and must see that
# connection's SYN arrive and its own SYN-ACK leave: the API server was reached on controlplane,
# not a stand-in on node01 (an address, a namespace, a NAT redirect), and controlplane's firewall
# let it in. On controlplane the API server must still be the one listening on 6443.
case "$PRAXIS_NODE" in
  node01)
    holders=$(addr_holders "$controlplane_ip")
    [ -z "$holders" ] || fail "node01 holds controlplane's address $controlplane_ip itself ($(echo $holders)); the API server must be reached on controlplane"
    state nat iptables_rules -t nat
    if has '-j (DNAT|REDIRECT)' "$nat"; then
      fail "node01 redirects connections with NAT rules (iptables -t nat -S); fix the firewall on controlplane instead"
    fi
    state r ip -4 route get "$controlplane_ip"
    has "^$controlplane_ip dev eth0 " "$r" || fail "node01 does not send to controlplane ($controlplane_ip) straight out of eth0: $r"
    barrier connect
    probe_tcp "$controlplane_ip" 6443
    ok=$?
    barrier connected
    [ $ok = 0 ] || fail "node01 cannot open a TCP connection to the API server at $controlplane_ip:6443"
    ;;
  controlplane)
    state l nodeprocs ss -Hltnp "( sport = :6443 )"
    has '"kube-apiserver"' "$l" || fail "kube-apiserver no longer listens on port 6443 on controlplane"
    state nat iptables_rules -t nat
    if has '--dport 6443 .*-j (DNAT|REDIRECT)' "$nat"; then fail "controlplane redirects port 6443 elsewhere; the API server must answer on 6443 itself"; fi
    pcap_start c -i eth0 "tcp port 6443 and host $node01_ip and port $PRAXIS_PROBE_PORT"
    barrier connect
    barrier connected
    seen=$(pcap_stop c)
    has "$node01_ip\\.$PRAXIS_PROBE_PORT > $controlplane_ip\\.6443: Flags \\[S\\]" "$seen" \
      || fail "node01's connection to $controlplane_ip:6443 never reached controlplane"
    has "$controlplane_ip\\.6443 > $node01_ip\\.$PRAXIS_PROBE_PORT: Flags \\[S\\.\\]" "$seen" \
      || fail "connections from node01 to port 6443 reach controlplane, but controlplane does not answer them: its firewall still drops them"
    ;;
esac
