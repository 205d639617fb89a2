# The Deployment coredns runs at least two ready pods of its own (the API's owner references, not
# pods that only look like CoreDNS), and every one of them, asked directly (not through the
# Service), answers for the zone cluster.local as the kubernetes plugin does.
kube_get d deployment coredns -n kube-system
replicas=$(jqr "$d" .spec.replicas)
[ "$replicas" -ge 2 ] || fail "the Deployment coredns has $replicas replica(s); the cluster needs 2"
coredns_pods pods
[ "$(grep -c . <<<"$pods")" -ge 2 ] || fail "only $(grep -c . <<<"$pods" || true) pod(s) of the Deployment coredns are ready"
while read -r name ip _; do
  [ -n "$name" ] || continue
  expect_cluster_answers "$ip" "the CoreDNS pod $name"
done <<<"$pods"
