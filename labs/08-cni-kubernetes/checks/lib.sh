# Shared by the checks of this lab.

# ready_pods_of VAR KIND NAME: waits up to 60 s (the kubelet retries a pod sandbox it could not
# make about every 10 s) until every pod KIND NAME (namespace default) owns is ready; VAR gets
# kube_pods_of's lines either way.
ready_pods_of() {
  local __var="$1" __kind="$2" __name="$3" __p
  all_ready() {
    kube_pods_of __p default "$__kind" "$__name"
    [ -n "$__p" ] && ! grep -q ' not-ready ' <<<"$__p"
  }
  retry_for 60 all_ready || true
  printf -v "$__var" '%s' "$__p"
}

# expect_pod_on_network NODE NAME IP: the pod NAME runs on NODE with an address of the cluster's
# network as NODE sees it (expect_pod_network), not on the host network.
expect_pod_on_network() {
  local node="$1" name="$2" ip="$3" p
  kube_get p pod "$name" -n default
  [ "$(jqr "$p" '.spec.hostNetwork // false')" = false ] || fail "pod $name uses the node's network, not the pod network"
  [ "$(jqr "$p" '.spec.nodeName // ""')" = "$node" ] || fail "pod $name runs on $(jqr "$p" '.spec.nodeName // "no node"'), not on $node"
  [ -n "$ip" ] && [ "$ip" != - ] || fail "pod $name has no address"
  expect_pod_network "$node" "$ip"
}
