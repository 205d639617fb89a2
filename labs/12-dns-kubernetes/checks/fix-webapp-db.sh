# webapp names its database with a DNS name (not an address, not through a Service of its own
# namespace, no /etc/hosts entries or private name servers in its pods) and the change is rolled
# out; from a fresh pod in default, that name resolves through CoreDNS to the Service mysql of
# payroll, and a connection to it is DNATed by the kernel to a pod of payroll's mysql, which answers.
kube_get d deployment webapp -n default
host=$(jqr "$d" '.spec.template.spec.containers[0].env[]? | select(.name == "DB_Host") | .value // empty')
[ -n "$host" ] || fail "deployment webapp sets no DB_Host for its container"
case "$host" in *[!0-9.]*) ;; *) fail "DB_Host is the address $host: use the database's DNS name (an address breaks when the Service is recreated)" ;; esac
[ "$(jqr "$d" '.spec.template.spec.dnsPolicy // "ClusterFirst"')" = ClusterFirst ] || fail "webapp's pods do not use the cluster's DNS (dnsPolicy $(jqr "$d" .spec.template.spec.dnsPolicy))"
[ "$(jqr "$d" '[.spec.template.spec.hostAliases[]?] | length')" = 0 ] || fail "webapp's pods carry hostAliases (their own /etc/hosts entries): the database's name must resolve through the cluster's DNS"
[ "$(jqr "$d" '[.spec.template.spec.dnsConfig.nameservers[]?] | length')" = 0 ] || fail "webapp's pods name their own DNS servers: the database's name must resolve through the cluster's DNS"
rolled=$(jqr "$d" '(.status.observedGeneration // 0) >= .metadata.generation and (.status.updatedReplicas // 0) == .spec.replicas and (.status.availableReplicas // 0) == .spec.replicas and (.status.replicas // 0) == .spec.replicas')
[ "$rolled" = true ] || fail "the new configuration of webapp is not rolled out yet (see kubectl rollout status deployment webapp)"
first=${host%%.*}
if kube_find x service "$first" -n default; then
  fail "there is a Service $first in default: webapp must reach the database of payroll by its own name, not through a Service of default"
fi
kube_get db service mysql -n payroll
dbip=$(jqr "$db" .spec.clusterIP)
probe_pod "$PRAXIS_NODE" default
# IPv4 only: `getent hosts` asks for AAAA first, through every search domain, and the cluster has
# no IPv6, which costs about 4 s of the check's time for nothing.
got=$(probe_run getent ahostsv4 "$host" | awk '{ print $1 }' | head -n1)
[ -n "$got" ] || fail "from a pod in default, the name $host does not resolve"
[ "$got" = "$dbip" ] || fail "from a pod in default, $host resolves to $got, not to the Service mysql of payroll ($dbip)"
# The database itself must be up (the learner was told to leave it alone): wait for its endpoint.
db_ready() { kube_endpoints eps payroll mysql; [ -n "$eps" ]; }
retry_for 20 db_ready || fail "the Service mysql of payroll has no ready endpoint: its database pod is not running (kubectl -n payroll get pods)"
pod_http answer "http://$host:3306/"
[ "${answer%% *}" = 200 ] || fail "a pod in default gets no answer from $host:3306"
conntrack_reply reply tcp "$PROBE_IP" "$PROBE_PORT"
expect_answered_by "${answer#* }" deployment mysql payroll "$reply"
