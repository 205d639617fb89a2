# The MAC of the interface holding this node's internal IP (the node IP kubeadm registered).
case "$PRAXIS_NODE" in
  controlplane) ip="$controlplane_ip" ;;
  *) ip="$node01_ip" ;;
esac
dev=$(ip -4 -o addr show to "$ip/32" | awk '{print $2}' | head -n1)
[ -n "$dev" ] || { echo "no interface of $PRAXIS_NODE holds $ip" >&2; exit 1; }
ip -o link show dev "$dev" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
