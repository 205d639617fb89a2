# Shared by the checks of the mock exam (the helpers of labs 11 and 13).

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


# coredns_pods VAR: "NAME IP NODE ready PHASE" of the ready pods of the Deployment coredns.
coredns_pods() {
  local __var="$1" __p
  kube_pods_of __p kube-system deployment coredns
  printf -v "$__var" '%s' "$(grep ' ready ' <<<"$__p")"
}

# expect_cluster_answers SERVER WHO: SERVER answers as CoreDNS's kubernetes plugin does for the
# zone cluster.local: the kubernetes Service's name with its ClusterIP, a pod-address name with
# that address, and a random name of the zone with NXDOMAIN (which no server of static answers,
# and no forwarder, gives). WHO names the server in messages.
expect_cluster_answers() {
  local server="$1" who="$2" k want r rnd pod
  kube_get k service kubernetes -n default
  want=$(jqr "$k" .spec.clusterIP)
  node_dig r "$server" kubernetes.default.svc.cluster.local
  [ "$r" = "NOERROR $want " ] || fail "$who does not resolve kubernetes.default.svc.cluster.local to $want (it answers: $r)"
  pod="10-244-$((RANDOM % 200 + 1))-$((RANDOM % 200 + 2))"
  node_dig r "$server" "$pod.default.pod.cluster.local"
  [ "$r" = "NOERROR ${pod//-/.} " ] || fail "$who does not answer pod names of cluster.local ($pod.default.pod.cluster.local: $r)"
  rnd="praxis-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n').default.svc.cluster.local"
  node_dig r "$server" "$rnd"
  [ "${r%% *}" = NXDOMAIN ] || fail "$who does not answer for the zone cluster.local itself (a name that does not exist gets ${r%% *}, not NXDOMAIN)"
}
