# The Service shop sends traffic to deployment shop's pods on the port they listen on (8080), the
# deployment and its pods as setup made them (labels app=shop,tier=frontend), and a request from a
# fresh pod to shop's ClusterIP reaches a shop pod through the kernel's DNAT.
kube_get d deployment shop -n default
labels=$(jqr "$d" '.spec.template.metadata.labels // {} | to_entries | map(.key + "=" + .value) | sort | join(",")')
[ "$labels" = "app=shop,tier=frontend" ] || fail "the pods of deployment shop are no longer labelled app=shop,tier=frontend ($labels): fix the Service, not the deployment"
kube_get svc service shop -n default
jqr "$svc" '.spec.ports[].port' | grep -qx 80 || fail "the Service shop no longer listens on port 80"
expect_endpoints default shop deployment shop 8080
expect_service_answers default shop 80 deployment shop
