# A ClusterIP Service web-svc on port 8080 whose endpoints are exactly deployment web's pods on
# port 80; a request from a fresh pod reaches one of them, and this node's connection tracking
# shows the DNAT of kube-proxy's rules sent it to the pod that answered (no stand-in).
kube_get svc service web-svc -n default
type=$(jqr "$svc" .spec.type)
[ "$type" = ClusterIP ] || fail "the Service web-svc is of type $type; this task asks for a ClusterIP Service"
jqr "$svc" '.spec.ports[].port' | grep -qx 8080 || fail "the Service web-svc does not listen on port 8080 (its ports: $(jqr "$svc" '[.spec.ports[].port] | join(", ")'))"
expect_endpoints default web-svc deployment web 80
expect_service_answers default web-svc 8080 deployment web
