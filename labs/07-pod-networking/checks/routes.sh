# Each node must send the other node's pod subnet to the other node's LAN address.
case "$PRAXIS_NODE" in
  node01) want=$node02_pods via=$node02_ip probe=$pod_b ;;
  node02) want=$node01_pods via=$node01_ip probe=$pod_a ;;
esac
ip -4 route get "$probe" 2>/dev/null | grep -q " via $via " \
  || fail "$PRAXIS_NODE does not route $want via $via (ip route shows: $(ip -4 route | tr '\n' ';'))"
