# The Service kube-dns has the address the kubelets give pods, its endpoints are CoreDNS's pods on
# port 53, and a query from a fresh pod to that address is DNATed by the kernel to a CoreDNS pod,
# which answers with the cluster's records.
kubelet_config kc controlplane
dns=$(jqr "$kc" '.clusterDNS[0]')
[ "$dns" = "$dns_ip" ] || fail "controlplane's kubelet gives pods the name server $dns, not $dns_ip"
kube_get s service kube-dns -n kube-system
[ "$(jqr "$s" .spec.clusterIP)" = "$dns_ip" ] || fail "the Service kube-dns has the address $(jqr "$s" .spec.clusterIP), but the kubelets give pods $dns_ip"
expect_endpoints kube-system kube-dns deployment coredns 53,9153
probe_pod "$PRAXIS_NODE"
probe_dig r "$dns_ip" kubernetes.default.svc.cluster.local
kube_get k service kubernetes -n default
[ "$r" = "NOERROR $(jqr "$k" .spec.clusterIP) " ] || fail "a pod asking $dns_ip for kubernetes.default.svc.cluster.local gets: $r"
conntrack_reply reply udp "$PROBE_IP" "$PROBE_PORT"
[ -n "$reply" ] || fail "the query to $dns_ip was not translated by the kernel (no DNAT): something else answers there"
coredns_pods pods
grep -q " ${reply%% *} " <<<"$pods" || fail "the query to $dns_ip went to ${reply%% *}, which is not a pod of the Deployment coredns"
