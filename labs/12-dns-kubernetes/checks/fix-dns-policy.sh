# The pod dns-broken (same name and image) runs with the cluster's DNS policy and no name servers
# of its own, so the kubelet gives it CoreDNS and the cluster's search list; and from it, the
# Service web-service resolves to its ClusterIP.
kube_get p pod dns-broken -n default
policy=$(jqr "$p" '.spec.dnsPolicy // "ClusterFirst"')
[ "$policy" = ClusterFirst ] || fail "pod dns-broken has the DNS policy $policy, which does not give it the cluster's DNS"
[ "$(jqr "$p" '[.spec.dnsConfig.nameservers[]?] | length')" = 0 ] || fail "pod dns-broken names DNS servers of its own"
[ "$(jqr "$p" '[.spec.hostAliases[]?] | length')" = 0 ] || fail "pod dns-broken carries hostAliases (its own /etc/hosts entries): names must resolve through the cluster's DNS"
[ "$(jqr "$p" '.spec.containers[0].image')" = praxis/tools ] || fail "pod dns-broken no longer runs the image praxis/tools"
[ "$(jqr "$p" '.status.phase')" = Running ] || fail "pod dns-broken is $(jqr "$p" .status.phase)"
kube_get s service web-service -n default
want=$(jqr "$s" .spec.clusterIP)
got=$(kubectl --request-timeout=20s exec dns-broken -- getent hosts web-service 2>/dev/null | awk '{ print $1 }' | head -n1)
[ "$got" = "$want" ] || fail "from pod dns-broken, web-service resolves to ${got:-nothing}, not to its ClusterIP $want"
