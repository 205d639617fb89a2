# Shared by the checks of this lab.

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
