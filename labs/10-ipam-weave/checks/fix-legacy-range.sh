# Runs on node01. The runtime there uses the cluster's configuration again: a new pod on node01 and
# every pod of deployment legacy have addresses of node01's pod CIDR handed out by praxis-net's
# host-local, reached through cni0; and no pod of the cluster has an address outside the pod network.
probe_pod node01
expect_pod_network node01 "$PROBE_IP"
kube_pods_of pods default deployment legacy
[ -n "$pods" ] || fail "deployment legacy has no pods"
while read -r name ip node ready phase; do
  [ -n "$name" ] || continue
  [ "$ready" = ready ] || fail "pod $name of deployment legacy is not ready ($phase)"
  [ "$node" = node01 ] || continue
  expect_pod_network node01 "$ip"
done <<<"$pods"
kube_get all pods -A
outside=$(jqr "$all" '.items[] | select(.metadata.deletionTimestamp == null and .spec.hostNetwork != true and .status.podIP != null and .metadata.namespace != "praxis-probe") | .metadata.namespace + "/" + .metadata.name + " " + .status.podIP' |
  while read -r p ip; do ip_in_cidr "$ip" "$pod_net" || echo "$p ($ip)"; done)
[ -z "$outside" ] || fail "pods still have addresses outside the pod network $pod_net: $(echo $outside)"
