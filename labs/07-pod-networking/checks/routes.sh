# Each node must send the whole of the other node's pod subnet (the other pod's address and
# another one) to the other node's LAN address, out of eth0.
case "$PRAXIS_NODE" in
  node01) routes_via "$node02_pods" "$node02_ip" "$pod_b" 10.244.2.200 ;;
  node02) routes_via "$node01_pods" "$node01_ip" "$pod_a" 10.244.1.200 ;;
esac
