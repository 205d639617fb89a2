# On every node: a NodePort Service api-np with node port 30080 whose endpoints are deployment
# api's pods on port 80; a connection to this node's own address on port 30080 is DNATed by the
# kernel (kube-proxy's KUBE-NODEPORTS rules) to the api pod that answers. Runs on both nodes.
kube_get svc service api-np -n default
type=$(jqr "$svc" .spec.type)
[ "$type" = NodePort ] || fail "the Service api-np is of type $type; this task asks for a NodePort Service"
jqr "$svc" '.spec.ports[].nodePort // empty' | grep -qx "$node_port" || fail "the Service api-np opens node port(s) $(jqr "$svc" '[.spec.ports[].nodePort // empty] | join(", ")'), not $node_port"
expect_endpoints default api-np deployment api 80
ip=$(my_ip)
node_http answer "http://$ip:$node_port/"
[ "${answer%% *}" = 200 ] || fail "a connection to $PRAXIS_NODE's address $ip:$node_port got $([ "${answer%% *}" = 000 ] && echo 'no answer' || echo "HTTP ${answer%% *}")"
conntrack_reply reply tcp "$ip" "$PROBE_PORT"
expect_answered_by "${answer#* }" deployment api default "$reply"
