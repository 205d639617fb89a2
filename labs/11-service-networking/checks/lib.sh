# Shared by the checks of this lab.

# my_ip: this node's address on the cluster network.
my_ip() {
  case "$PRAXIS_NODE" in
    controlplane) printf '%s\n' "$controlplane_ip" ;;
    node01) printf '%s\n' "$node01_ip" ;;
  esac
}

# expect_service_answers NAMESPACE SERVICE PORT KIND OWNER: a request from a fresh pod on this node
# to the Service's ClusterIP and PORT is answered by a pod of OWNER, the very pod the kernel's DNAT
# sent it to.
expect_service_answers() {
  local ns="$1" svc="$2" port="$3" kind="$4" owner="$5" s ip answer reply
  kube_get s service "$svc" -n "$ns"
  ip=$(jqr "$s" .spec.clusterIP)
  probe_pod "$PRAXIS_NODE"
  pod_http answer "http://$ip:$port/"
  [ "${answer%% *}" = 200 ] || fail "a pod's request to the Service $svc ($ip:$port) got $([ "${answer%% *}" = 000 ] && echo 'no answer' || echo "HTTP ${answer%% *}")"
  conntrack_reply reply tcp "$PROBE_IP" "$PROBE_PORT"
  expect_answered_by "${answer#* }" "$kind" "$owner" "$ns" "$reply"
}
