# Shared by the checks of this lab: a request through the Ingress controller, followed from the
# node's kernel to a Traefik pod and through Traefik's own routing table to the pod that answered.

# The controller: deployment CTL_DEP in namespace CTL_NS, its pods labelled CTL_LABEL.
CTL_NS=ingress-space CTL_DEP=ingress-controller CTL_LABEL=app=ingress-controller
# The provider whose routers the checks follow: kubernetes (Ingress) or kubernetesgateway.
ROUTE_PROVIDER=kubernetes

# my_ip: this node's address on the cluster network.
my_ip() {
  case "$PRAXIS_NODE" in
    controlplane) printf '%s\n' "$controlplane_ip" ;;
    node01) printf '%s\n' "$node01_ip" ;;
  esac
}

# traefik_rawdata VAR NAMESPACE DEPLOYMENT: Traefik's routing table (routers, middlewares,
# services and their servers) as its running pod reports it on its API port 8080, read through
# the API server's pod proxy. Sets CTL_PODS (the controller's pods: NAME IP NODE READY PHASE).
traefik_rawdata() {
  local __var="$1" __ns="$2" __dep="$3" __pod __out
  kube_pods_of CTL_PODS "$__ns" deployment "$__dep"
  __pod=$(awk '$4 == "ready" { print $1; exit }' <<<"$CTL_PODS")
  [ -n "$__pod" ] || fail "the Ingress controller (deployment $__dep in namespace $__ns) has no ready pod"
  __out=$(kubectl --request-timeout=20s get --raw "/api/v1/namespaces/$__ns/pods/$__pod:8080/proxy/api/rawdata" 2>/dev/null) \
    || fail "the Ingress controller's pod $__pod does not answer on its API port 8080"
  printf -v "$__var" '%s' "$__out"
}

# router_enabled PATH: Traefik has an enabled router of an Ingress for PATH now (never fails the
# check: for retry_for while the controller catches up with a change).
router_enabled() {
  local pod
  pod=$(kubectl --request-timeout=10s -n "$CTL_NS" get pods -l "$CTL_LABEL" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}' 2>/dev/null) || return 1
  kubectl --request-timeout=10s get --raw "/api/v1/namespaces/$CTL_NS/pods/$pod:8080/proxy/api/rawdata" 2>/dev/null \
    | jq -e --arg p "$1" '[(.routers // {}) | to_entries[] | select(.key | endswith("@" + $prov)) | select(.value.status != "disabled") | select(.value.rule | contains("(\"" + $p + "\")"))] | length > 0' --arg prov "$ROUTE_PROVIDER" >/dev/null 2>&1
}

# expect_routed PATH NAMESPACE OWNER [WANT-URI]: a request from this node to its own address on
# the controller's NodePort for PATH
#  - is sent by the kernel (kube-proxy's DNAT, in conntrack) to a pod of the controller,
#  - matches a router of Traefik's (an Ingress's, provider kubernetes) for PATH whose servers are
#    exactly the ready pods of deployment OWNER in NAMESPACE,
#  - and is answered with 200 by one of those pods, which saw the request come from the
#    controller's pod (and for the path WANT-URI, when given: a rewrite).
# Sets ROUTER (the router's JSON) and RAW (Traefik's routing table).
expect_routed() {
  local path="$1" ns="$2" owner="$3" want_uri="${4:-}" ip answer reply ctl_ips pods want servers name uri from body
  traefik_rawdata RAW "$CTL_NS" "$CTL_DEP"
  ctl_ips=$(awk '{ print $2 }' <<<"$CTL_PODS")
  ip=$(my_ip)
  node_http answer "http://$ip:$node_port$path"
  body="${answer#* }"
  conntrack_reply reply tcp "$ip" "$PROBE_PORT"
  [ -n "$reply" ] || fail "a request to $ip:$node_port$path was not translated by $PRAXIS_NODE's kernel (no NodePort DNAT): something else answered it"
  grep -qxF "${reply%% *}" <<<"$ctl_ips" || fail "$PRAXIS_NODE's kernel sent the request for port $node_port to ${reply%% *}, not to the Ingress controller's pod"
  [ "${answer%% *}" = 200 ] || fail "a request to http://$ip:$node_port$path through the Ingress controller got $([ "${answer%% *}" = 000 ] && echo 'no answer' || echo "HTTP ${answer%% *}: $(printf '%s' "$body" | head -n1 | cut -c1-100)")"
  # The router Traefik built for PATH from an Ingress, and the servers of its service.
  ROUTER=$(jqr "$RAW" '[(.routers // {}) | to_entries[] | select(.key | endswith("@" + $prov)) | select(.value.status != "disabled") | select(.value.rule | contains("(\"" + $p + "\")")) | .value + { name: .key }][0] // empty' --arg p "$path" --arg prov "$ROUTE_PROVIDER")
  [ -n "$ROUTER" ] || fail "the Ingress controller has no route for the path $path (no Ingress rule for it that Traefik accepted: see kubectl -n $CTL_NS logs deploy/$CTL_DEP)"
  # A service is a load balancer over servers, or (Gateway API) a weighted set of services.
  servers=$(jqr "$RAW" 'def q: if test("@") then . else . + "@" + $prov end;
    def servers($s): . as $raw | ((.services // {})[$s] // {}) as $v
      | if $v.loadBalancer then $v.loadBalancer.servers[]?.url
        elif $v.weighted then $v.weighted.services[]?.name | q as $n | $raw | servers($n)
        else empty end;
    servers($r.service | q)' --argjson r "$ROUTER" --arg prov "$ROUTE_PROVIDER" | sed -E 's#^[a-z]+://##; s#:[0-9]+/?$##' | sort -u)
  kube_pods_of pods "$ns" deployment "$owner"
  want=$(awk '$4 == "ready" && $2 != "-" { print $2 }' <<<"$pods" | sort)
  [ -n "$want" ] || fail "deployment $owner in namespace $ns has no ready pod"
  [ -n "$servers" ] || fail "the controller's route for $path ($(jqr "$ROUTER" .service)) has no servers: its Service has no endpoints"
  while read -r s; do
    grep -qxF "$s" <<<"$want" || { kube_pod_by_ip name "$s"; fail "the controller sends $path to $s${name:+ (pod $name)}, which is not a pod of deployment $owner in $ns"; }
  done <<<"$servers"
  # The page: "<app> <pod> <uri> from <client>", from a pod of OWNER that the controller connected to.
  name=$(awk '{ print $2 }' <<<"$body" | head -n1)
  uri=$(awk '{ print $3 }' <<<"$body" | head -n1)
  from=$(awk '{ print $5 }' <<<"$body" | head -n1)
  awk -v n="$name" '$1 == n && $4 == "ready" { f = 1 } END { exit !f }' <<<"$pods" || fail "the answer to $path did not come from a pod of deployment $owner (it said: $(printf '%s' "$body" | head -n1 | cut -c1-120))"
  grep -qxF "$from" <<<"$ctl_ips" || fail "the pod $name was asked by $from, not by the Ingress controller"
  [ -z "$want_uri" ] || [ "$uri" = "$want_uri" ] || fail "the pod $name was asked for $uri, not $want_uri"
}

# expect_ingress_path VAR NAMESPACE INGRESS PATH: the backend ("SERVICE PORT") of the path PATH in
# the Ingress's rules into VAR; fails when the Ingress has no such path.
expect_ingress_path() {
  local __var="$1" __ns="$2" __ing="$3" __path="$4" __i __b
  kube_get __i ingress "$__ing" -n "$__ns"
  __b=$(jqr "$__i" '[.spec.rules[]?.http.paths[]? | select(.path == $p or .path == $p + "/") | "\(.backend.service.name // "-") \(.backend.service.port.number // .backend.service.port.name // "-")"][0] // ""' --arg p "$__path")
  [ -n "$__b" ] || fail "the Ingress $__ing in $__ns has no path $__path (its paths: $(jqr "$__i" '[.spec.rules[]?.http.paths[]?.path] | join(", ")'))"
  printf -v "$__var" '%s' "$__b"
}
