# On node01: a real TCP connection to controlplane:6443 must succeed, to controlplane itself (its
# address must not be faked on node01, nor the connection redirected by NAT). On controlplane:
# the API server (stand-in) must still be the one listening on 6443.
case "$PRAXIS_NODE" in
  node01)
    if ip -4 -o addr show | grep -q " $controlplane_ip/"; then
      fail "node01 holds controlplane's address $controlplane_ip itself; the API server must be reached on controlplane"
    fi
    if iptables_rules -t nat | grep -Eq -- '-j (DNAT|REDIRECT)'; then
      fail "node01 redirects connections with NAT rules (iptables -t nat -S); fix the firewall on controlplane instead"
    fi
    timeout 3 bash -c "exec 3<>/dev/tcp/$controlplane_ip/6443" 2>/dev/null \
      || fail "node01 cannot open a TCP connection to the API server at $controlplane_ip:6443"
    ;;
  controlplane)
    ss -Hltnp "( sport = :6443 )" | grep -q '"kube-apiserver"' \
      || fail "kube-apiserver no longer listens on port 6443 on controlplane"
    ;;
esac
