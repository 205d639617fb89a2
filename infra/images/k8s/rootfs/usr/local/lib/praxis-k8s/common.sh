# Shared by cluster-init.sh and cluster-join.sh.

# kube-proxy rewrites ClusterIP traffic in OUTPUT, after the routing decision: a node with no
# default route needs a route for the service range, or `curl <ClusterIP>` on the node fails
# with "network unreachable" before kube-proxy's rule is reached.
write_route_to_services() {
  if ! ip -4 route show default | grep -q .; then
    local dev
    dev=$(ip -4 route get "${NODE_IP}" | sed -n 's/.* dev \([^ ]*\).*/\1/p' | head -1)
    [ "$dev" = lo ] && dev=$(ip -4 -o addr show | awk -v ip="${NODE_IP}" '$4 ~ "^"ip"/" {print $2; exit}')
    ip route replace "${SERVICE_SUBNET}" dev "$dev"
  fi
}
