# Runs on node01. A new pod of the grader's own starts there and is on the cluster's network: an
# address of node01's pod CIDR that praxis-net's host-local handed out, behind cni0, answering
# node01; and every pod of deployment app runs on node01 the same way.
probe_pod node01
expect_pod_network node01 "$PROBE_IP"
kube_get d deployment app -n default
want=$(jqr "$d" '.spec.replicas // 1')
ready_pods_of pods deployment app
while read -r name ip node ready phase; do
  [ -n "$name" ] || continue
  [ "$ready" = ready ] || { kube_last_warning why default "$name"; fail "pod $name of deployment app is not ready ($phase)${why:+: $why}"; }
  expect_pod_on_network node01 "$name" "$ip"
done <<<"$pods"
n=$(grep -c ' ready ' <<<"$pods" || true)
[ "$n" -ge "$want" ] || fail "only $n of the $want pods of deployment app run"
