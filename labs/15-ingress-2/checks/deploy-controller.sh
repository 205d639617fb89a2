# The Ingress controller runs as the learner deployed it: namespace ingress-space, service account
# ingress-traefik, ConfigMap traefik-config, deployment ingress-controller with ready Traefik pods
# running as that service account, and the NodePort Service ingress (port 80, node port 30080)
# whose endpoints are those pods. A request to this node's port 30080 is DNATed by the kernel to a
# controller pod, which answers as Traefik does for a path no Ingress names (404), and the pod's
# own API reports the Kubernetes Ingress provider and the web entry point running.
kube_get ns namespace ingress-space
kube_get sa serviceaccount ingress-traefik -n ingress-space
kube_get cm configmap traefik-config -n ingress-space
kube_get d deployment ingress-controller -n ingress-space
kube_pods_of pods ingress-space deployment ingress-controller
[ -n "$(awk '$4 == "ready"' <<<"$pods")" ] || {
  p=$(awk '{ print $1; exit }' <<<"$pods")
  [ -n "$p" ] && kube_last_warning why ingress-space "$p"
  fail "deployment ingress-controller has no ready pod${p:+ (pod $p is $(awk '{ print $5; exit }' <<<"$pods")${why:+: $why})}"
}
p=$(awk '$4 == "ready" { print $1; exit }' <<<"$pods")
kube_get pod pod "$p" -n ingress-space
[ "$(jqr "$pod" '.spec.serviceAccountName // "default"')" = ingress-traefik ] || fail "the controller's pod $p runs as the service account $(jqr "$pod" '.spec.serviceAccountName // "default"'), not ingress-traefik (its ClusterRole lets it read Ingresses)"
kube_get svc service ingress -n ingress-space
[ "$(jqr "$svc" .spec.type)" = NodePort ] || fail "the Service ingress is of type $(jqr "$svc" .spec.type); the controller must be reachable on a NodePort"
np=$(jqr "$svc" '.spec.ports[] | select(.port == 80) | .nodePort // empty')
[ "$np" = "$node_port" ] || fail "the Service ingress $([ -n "$np" ] && echo "sends port 80 from node port $np, not $node_port" || echo "has no port 80")"
expect_endpoints ingress-space ingress deployment ingress-controller 80
# The controller itself: Traefik's API on its pod (the providers it runs, its entry points).
traefik_rawdata raw
ov=$(kubectl --request-timeout=20s get --raw "/api/v1/namespaces/ingress-space/pods/$p:8080/proxy/api/overview" 2>/dev/null) || fail "the controller's pod $p does not answer on its API port 8080"
jq -e '.providers | index("KubernetesIngress")' >/dev/null <<<"$ov" || fail "the controller runs without the Kubernetes Ingress provider (its providers: $(jq -r '.providers | join(", ")' <<<"$ov")): is /etc/traefik/traefik.yml from the ConfigMap traefik-config?"
ip=$(my_ip)
node_http answer "http://$ip:$node_port/praxis-nothing"
conntrack_reply reply tcp "$ip" "$PROBE_PORT"
[ -n "$reply" ] || fail "a request to $ip:$node_port was not translated by $PRAXIS_NODE's kernel (no NodePort DNAT): something else answered it"
grep -qxF "${reply%% *}" <<<"$(awk '{ print $2 }' <<<"$TRAEFIK_PODS")" || fail "$PRAXIS_NODE's kernel sent the request for port $node_port to ${reply%% *}, not to a pod of the controller"
[ "${answer%% *}" = 404 ] || fail "a request to http://$ip:$node_port/ for a path no Ingress names got $([ "${answer%% *}" = 000 ] && echo 'no answer' || echo "HTTP ${answer%% *}"), not the controller's 404"
