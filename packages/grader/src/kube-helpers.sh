# Check helpers for cluster nodes (docs/lab-format.md, "Checks on a cluster"). Defined in the grader
# after the general helpers, before the lab's library. `kubectl` here is the grader's own binary
# with the instance's admin kubeconfig ($KUBECONFIG, mounted read-only): the node's kubectl and
# ~/.kube/config are never used. Helpers that produce data store it in a variable named by their
# first argument (never print it for `$(...)`), so a `fail` inside them ends the check itself.

# kube_get VAR ARGS...: the JSON of `kubectl get ARGS` in VAR. A missing object fails the check with
# kubectl's sentence ("services "web-svc" not found in namespace default"); so does an API server
# that does not answer.
kube_get() {
  local __var="$1" __out __err
  shift
  [ -n "${KUBECONFIG:-}" ] && [ -r "$KUBECONFIG" ] || fail "this check needs the cluster's credentials, and the grader of $PRAXIS_NODE has none (is $PRAXIS_NODE a cluster node?)"
  __err=$(mktemp) || fail "the grader of $PRAXIS_NODE could not make a scratch file"
  if ! __out=$(kubectl --request-timeout=20s get "$@" -o json 2>"$__err"); then
    local e
    e=$(grep -v '^Warning' "$__err" | tail -n1)
    rm -f "$__err"
    case "$e" in
      *'(NotFound)'*) fail "$(printf '%s' "${e#*(NotFound): }" | sed 's/ not found$/ does not exist/')$(kube_ns_words "$@")" ;;
      *) fail "the API server did not answer the grader (kubectl get $*: ${e:-no output})" ;;
    esac
  fi
  rm -f "$__err"
  printf -v "$__var" '%s' "$__out"
}

# kube_find VAR ARGS...: like kube_get, but an object that does not exist leaves VAR empty and
# returns 1 instead of failing the check.
kube_find() {
  local __var="$1" __out __err
  shift
  [ -n "${KUBECONFIG:-}" ] && [ -r "$KUBECONFIG" ] || fail "this check needs the cluster's credentials, and the grader of $PRAXIS_NODE has none (is $PRAXIS_NODE a cluster node?)"
  __err=$(mktemp) || fail "the grader of $PRAXIS_NODE could not make a scratch file"
  if ! __out=$(kubectl --request-timeout=20s get "$@" -o json 2>"$__err"); then
    if grep -q '(NotFound)' "$__err"; then
      rm -f "$__err"
      printf -v "$__var" '%s' ''
      return 1
    fi
    local e
    e=$(grep -v '^Warning' "$__err" | tail -n1)
    rm -f "$__err"
    fail "the API server did not answer the grader (kubectl get $*: ${e:-no output})"
  fi
  rm -f "$__err"
  printf -v "$__var" '%s' "$__out"
}

# " in namespace NS" when the arguments name one (-n NS, --namespace NS or --namespace=NS).
kube_ns_words() {
  while [ $# -gt 0 ]; do
    case "$1" in
      -n | --namespace) printf ' in namespace %s' "$2"; return 0 ;;
      --namespace=*) printf ' in namespace %s' "${1#--namespace=}"; return 0 ;;
    esac
    shift
  done
}

# jqr JSON FILTER [JQ-ARGS...]: jq -r FILTER over JSON (a variable's content, not a file).
jqr() {
  local json="$1" filter="$2"
  shift 2
  jq -r "$@" "$filter" <<<"$json"
}

# kube_pods_of VAR NAMESPACE KIND NAME: the pods a Deployment (through its ReplicaSets), ReplicaSet,
# DaemonSet or StatefulSet owns, as the API's owner references say (not its labels: a pod a learner
# labels like the app's is not the app's), one line each: NAME IP NODE READY PHASE. One request to
# the API server (the owner, ReplicaSets and pods listed together): under load every kubectl run
# costs a second or more, and a check's time limit is shared by all of them.
kube_pods_of() {
  local __var="$1" __ns="$2" __kind="$3" __name="$4" __list
  kube_get __list "$__kind,replicasets,pods" -n "$__ns"
  kube_pods_from "$__var" "$__list" "$__kind" "$__name" "$__ns"
}

# kube_pods_from VAR LIST KIND NAME NAMESPACE: kube_pods_of over LIST, the JSON of one `kubectl get`
# that listed KIND, replicasets and pods of NAMESPACE together; fails when LIST holds no KIND NAME.
kube_pods_from() {
  local __var="$1" __list="$2" __kind="$3" __name="$4" __ns="$5" __out
  __out=$(jqr "$__list" '
    ($kind | ascii_downcase) as $k
    | [.items[] | select((.kind | ascii_downcase) as $x | $x == $k or $x + "s" == $k) | select(.metadata.name == $name)][0] as $o
    | if $o == null then "-missing-" else
        (if $o.kind == "Deployment"
         then [.items[] | select(.kind == "ReplicaSet") | select(any(.metadata.ownerReferences[]?; .uid == $o.metadata.uid)) | .metadata.uid]
         else [$o.metadata.uid] end) as $owners
        | .items[] | select(.kind == "Pod") | select(.metadata.deletionTimestamp == null)
        | select(any(.metadata.ownerReferences[]?; .uid as $u | $owners | any(. == $u)))
        | [.metadata.name, (.status.podIP // "-"), (.spec.nodeName // "-"),
           (if any(.status.conditions[]?; .type == "Ready" and .status == "True") then "ready" else "not-ready" end), (.status.phase // "-")] | join(" ")
      end' --arg kind "$__kind" --arg name "$__name")
  [ "$__out" != -missing- ] || fail "$__kind $__name does not exist in namespace $__ns"
  printf -v "$__var" '%s' "$__out"
}

# kube_endpoints VAR NAMESPACE SERVICE: the Service's ready endpoints from its EndpointSlices, one
# line each: IP PORT POD (POD is "-" for an address no pod is named for). Empty: no endpoints.
kube_endpoints() {
  local __var="$1" __ns="$2" __svc="$3" __slices
  kube_get __slices endpointslices -n "$__ns" -l "kubernetes.io/service-name=$__svc"
  kube_endpoints_from "$__var" "$__slices" "$__svc"
}

# kube_endpoints_from VAR LIST SERVICE: kube_endpoints over LIST, the JSON of a `kubectl get` that
# listed the namespace's endpointslices (with other kinds or not).
kube_endpoints_from() {
  local __var="$1" __list="$2" __svc="$3"
  printf -v "$__var" '%s' "$(jqr "$__list" '.items[] | select(.kind == "EndpointSlice" and .metadata.labels["kubernetes.io/service-name"] == $svc)
    | (.ports // [{}]) as $ports | .endpoints[]? | select(.conditions.ready != false) | . as $e | $ports[] |
    [$e.addresses[0], ((.port // "-") | tostring), ($e.targetRef.name // "-")] | join(" ")' --arg svc "$__svc" | sort -u)"
}

# kube_pod_by_ip VAR IP: NAMESPACE/NAME of the pod (not on the host network) that holds IP; empty if none.
kube_pod_by_ip() {
  local __var="$1" __ip="$2" __pods
  kube_get __pods pods -A --field-selector "status.podIP=$__ip"
  printf -v "$__var" '%s' "$(jqr "$__pods" '[.items[] | select(.spec.hostNetwork != true) | .metadata.namespace + "/" + .metadata.name][0] // ""')"
}

# kube_last_warning VAR NAMESPACE NAME: the last warning event about the object NAME (one line), if any.
kube_last_warning() {
  local __var="$1" __ns="$2" __name="$3" __ev
  kube_find __ev events -n "$__ns" --field-selector "involvedObject.name=$__name,type=Warning" || __ev='{}'
  printf -v "$__var" '%s' "$(jqr "$__ev" '[.items[]?] | sort_by(.lastTimestamp // .eventTime // "") | last | .message // ""' | tr '\n' ' ' | head -c 400)"
}

# probe_pod NODE [NAMESPACE]: starts a pod of the grader's own on NODE (in NAMESPACE, default
# praxis-probe: another namespace when the check needs that namespace's view of DNS names; image
# praxis/tools, pinned by nodeName, so the scheduler and taints play no part) and waits until it
# runs; sets PROBE_POD, PROBE_NS and PROBE_IP. The pod is deleted when the check ends. A pod that
# does not start fails the check with the runtime's reason, e.g. the CNI plugin's error.
probe_pod() {
  local node="$1" name pod out reason
  PROBE_NS="${2:-praxis-probe}"
  name="praxis-probe-$node-$(od -An -N4 -tx1 /dev/urandom | tr -d ' \n')"
  [ "$PROBE_NS" != praxis-probe ] || kubectl --request-timeout=20s create namespace "$PROBE_NS" >/dev/null 2>&1 || true
  if ! out=$(kubectl --request-timeout=20s -n "$PROBE_NS" create -f - 2>&1 <<YAML
apiVersion: v1
kind: Pod
metadata:
  name: $name
  labels: { app.kubernetes.io/managed-by: praxis-grader }
spec:
  nodeName: $node
  restartPolicy: Never
  activeDeadlineSeconds: 120
  terminationGracePeriodSeconds: 0
  automountServiceAccountToken: false
  enableServiceLinks: false
  tolerations: [{ operator: Exists }]
  containers:
  - name: probe
    image: praxis/tools:latest
    imagePullPolicy: IfNotPresent
    command: [sleep, "120"]
    securityContext: { readOnlyRootFilesystem: true }
YAML
  ); then
    fail "the grader could not start a test pod on $node: $(printf '%s' "$out" | tail -n1)"
  fi
  PROBE_POD="$name"
  PROBE_PODS="${PROBE_PODS:-} $PROBE_NS/$name"
  trap praxis_kube_on_exit EXIT
  # Ready, or a sandbox the runtime keeps failing to make (a CNI problem): say why without waiting
  # the whole time limit.
  local waited=0 state
  while :; do
    state=$(kubectl --request-timeout=10s -n "$PROBE_NS" get pod "$name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status} {.status.phase}' 2>/dev/null)
    case "$state" in "True Running") break ;; *" Failed" | *" Succeeded") fail "a new pod on $node stopped before it ran ($state)" ;; esac
    if [ "$waited" -ge 8 ] && [ $((waited % 4)) = 0 ]; then
      kube_last_warning reason "$PROBE_NS" "$name"
      case "$reason" in *FailedCreatePodSandBox* | *"failed to setup network"* | *"network is not ready"* | *"plugin type="*) fail "a new pod on $node does not start: $reason" ;; esac
    fi
    [ "$waited" -lt 45 ] || { kube_last_warning reason "$PROBE_NS" "$name"; fail "a new pod on $node did not start within 45 s${reason:+: $reason}"; }
    sleep 1
    waited=$((waited + 1))
  done
  kube_get pod pod "$name" -n "$PROBE_NS"
  # The pod runs what the grader asked for: no admission policy or webhook rewrote it.
  [ "$(jqr "$pod" '[.spec.nodeName, .spec.containers[0].image, (.spec.containers[0].command | join(" ")), (.spec.hostNetwork // false | tostring), (.spec.containers | length | tostring)] | join("|")')" = "$node|praxis/tools:latest|sleep 120|false|1" ] \
    || fail "the grader's test pod on $node was changed on its way in (an admission policy or webhook rewrites pods): remove what changes it"
  PROBE_IP=$(jqr "$pod" '.status.podIP // ""')
  [ -n "$PROBE_IP" ] || fail "the test pod on $node got no IP address"
}

# The check's EXIT trap once a probe pod exists: delete the probe pods, then the general exit
# handler (praxis_on_exit: a `fail` anywhere still fails the check) with the check's own status.
praxis_kube_on_exit() {
  local rc=$? p
  for p in ${PROBE_PODS:-}; do kubectl --request-timeout=10s -n "${p%%/*}" delete pod "${p#*/}" --wait=false >/dev/null 2>&1; done
  (exit "$rc")
  praxis_on_exit
}

# probe_run CMD...: runs CMD in the probe pod; prints its output and returns its status.
probe_run() {
  [ -n "${PROBE_POD:-}" ] || fail "probe_run before probe_pod (a mistake in this check)"
  kubectl --request-timeout=30s -n "$PROBE_NS" exec "$PROBE_POD" -- "$@"
}

# pod_http VAR URL [CURL-ARGS...]: GET URL from the probe pod, from source port PROBE_PORT (new
# for each call, so the grader can find this very connection in conntrack). VAR gets
# "HTTP-CODE BODY" (code 000: no answer).
pod_http() {
  local __var="$1" __url="$2" __out
  shift 2
  local __try
  for __try in 1 2 3; do
    PROBE_PORT=$((40000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
    __out=$(probe_run curl -s --connect-timeout 3 --max-time 5 --local-port "$PROBE_PORT" -w '\n%{http_code}' "$@" "$__url" 2>/dev/null) || true
    # A Service created a moment ago may not be in every node's rules yet: try again shortly.
    [ "${__out##*$'\n'}" = 000 ] || [ -z "$__out" ] || break
    sleep 1
  done
  if [ -z "$__out" ]; then printf -v "$__var" '000 '; return 0; fi
  printf -v "$__var" '%s %s' "${__out##*$'\n'}" "$(printf '%s' "${__out%$'\n'*}" | head -c 2000)"
}

# conntrack_reply VAR PROTO SRC SPORT: where the kernel of this node sent the flow from SRC:SPORT,
# from its conntrack entry: "IP PORT" of the reply's source (the endpoint a DNAT rule picked), or
# empty when there is no such flow. Only for flows that cross this node's network namespace.
conntrack_reply() {
  local __var="$1" __proto="$2" __src="$3" __sport="$4" __line
  __line=$(conntrack -L -p "$__proto" -s "$__src" --sport "$__sport" 2>/dev/null | head -n1)
  printf -v "$__var" '%s' "$(printf '%s\n' "$__line" | awk '{ n = 0; for (i = 1; i <= NF; i++) { if ($i ~ /^src=/) { n++; if (n == 2) ip = substr($i, 5) } if ($i ~ /^sport=/ && n == 2 && !p) p = substr($i, 7) } if (ip != "") print ip, p }')"
}

# kube_selector_words JSON: a Service's (or any object's .spec.selector) selector as k=v,k=v.
kube_selector_words() {
  jqr "$1" '(.spec.selector.matchLabels // .spec.selector // {}) | to_entries | map(.key + "=" + .value) | join(",")'
}

# expect_endpoints NAMESPACE SERVICE KIND OWNER PORT: fails unless the Service's ready endpoints are
# exactly the ready pods of the Deployment (DaemonSet...) OWNER, on port PORT of those pods (PORT
# may list several, comma-separated, for a Service of several ports: 53,9153). Says
# why otherwise: no selector, a selector that matches no pod, a pod that is not the owner's (a
# stand-in), the wrong target port, a pod of the owner left out.
expect_endpoints() {
  local ns="$1" svc="$2" kind="$3" owner="$4" port="$5" all s eps pods sel want ip p pod try
  for try in 1 2 3 4; do
    # One request for all of it: the Service, the owner, its ReplicaSets and pods, the slices.
    kube_get all "services,$kind,replicasets,pods,endpointslices" -n "$ns"
    s=$(jqr "$all" '[.items[] | select(.kind == "Service" and .metadata.name == $n)][0] // empty' --arg n "$svc")
    [ -n "$s" ] || fail "services \"$svc\" does not exist in namespace $ns"
    sel=$(kube_selector_words "$s")
    kube_pods_from pods "$all" "$kind" "$owner" "$ns"
    want=$(awk '$4 == "ready" && $2 != "-" { print $2 }' <<<"$pods" | sort)
    kube_endpoints_from eps "$all" "$svc"
    # The endpoint controller follows pod and Service changes within a second or two.
    [ -n "$want" ] && [ "$(awk '{ print $1 }' <<<"$eps" | sort -u)" = "$want" ] && break
    [ "$try" = 4 ] || sleep 1.5
  done
  [ -n "$want" ] || fail "$kind $owner has no ready pod in namespace $ns"
  if [ -z "$eps" ]; then
    [ -n "$sel" ] || fail "the Service $svc has no endpoints: it has no selector"
    fail "the Service $svc has no endpoints: its selector $sel matches no ready pod (the pods of $kind $owner are labelled $(jqr "$all" '[.items[] | select((.kind | ascii_downcase) as $x | $x == $k or $x + "s" == $k) | select(.metadata.name == $n)][0] | .spec.template.metadata.labels // {} | to_entries | map(.key + "=" + .value) | join(",")' --arg k "${kind,,}" --arg n "$owner"))"
  fi
  while read -r ip p pod; do
    [ -n "$ip" ] || continue
    grep -qxF "$ip" <<<"$want" || fail "the Service $svc sends traffic to $ip$([ "$pod" != - ] && printf ' (pod %s)' "$pod"), which is not a pod of $kind $owner"
    case ",$port," in *",$p,"*) ;; *) fail "the Service $svc sends traffic to port $p of the pods of $kind $owner, but they serve on port $port" ;; esac
  done <<<"$eps"
  while read -r ip; do
    grep -q "^$ip " <<<"$eps" || fail "pod $(awk -v i="$ip" '$2 == i { print $1 }' <<<"$pods") of $kind $owner ($ip) is not an endpoint of the Service $svc"
  done <<<"$want"
}

# expect_answered_by BODY KIND OWNER NAMESPACE REPLY: fails unless the page BODY names a ready pod of
# OWNER (the lab's pages print the pod's name) and REPLY ("IP PORT" from conntrack_reply: where the
# kernel really sent the probe) is that very pod. Sets ANSWERED_BY to the pod's name.
expect_answered_by() {
  local body="$1" kind="$2" owner="$3" ns="$4" reply="$5" pods name ip
  kube_pods_of pods "$ns" "$kind" "$owner"
  ANSWERED_BY=""
  while read -r name ip _; do
    [ -n "$name" ] || continue
    case "$body" in *"$name"*) ANSWERED_BY="$name"; break ;; esac
  done <<<"$pods"
  [ -n "$ANSWERED_BY" ] || fail "the answer did not come from a pod of $kind $owner (it said: $(printf '%s' "$body" | head -n1 | cut -c1-120))"
  [ -n "$reply" ] || fail "the kernel of $PRAXIS_NODE has no record of the probe's connection being translated (no DNAT): something else answered it"
  [ "${reply%% *}" = "$ip" ] || fail "the answer names pod $ANSWERED_BY ($ip), but the kernel sent the probe to ${reply%% *}: a stand-in answered"
}

# node_http VAR URL [CURL-ARGS...]: GET URL from this node's own network namespace (the grader's
# curl), from source port PROBE_PORT (new for each call). VAR gets "HTTP-CODE BODY" (000: no answer).
node_http() {
  local __var="$1" __url="$2" __out
  shift 2
  local __try
  for __try in 1 2 3; do
    PROBE_PORT=$((40000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
    __out=$(curl -s --connect-timeout 3 --max-time 5 --local-port "$PROBE_PORT" -w '\n%{http_code}' "$@" "$__url" 2>/dev/null) || true
    [ "${__out##*$'\n'}" = 000 ] || [ -z "$__out" ] || break
    sleep 1
  done
  if [ -z "$__out" ]; then printf -v "$__var" '000 '; return 0; fi
  printf -v "$__var" '%s %s' "${__out##*$'\n'}" "$(printf '%s' "${__out%$'\n'*}" | head -c 2000)"
}

# retry_for SECONDS CMD...: runs CMD (a command or a function) until it succeeds, for up to SECONDS;
# returns its last status. For a symptom or a check that waits for the cluster to settle.
retry_for() {
  local __until=$((SECONDS + $1))
  shift
  while :; do
    "$@" && return 0
    [ "$SECONDS" -lt "$__until" ] || return 1
    sleep 1
  done
}

# ip_in_cidr IP CIDR: IP is inside the network CIDR.
ip_in_cidr() {
  python3 -c 'import ipaddress, sys; sys.exit(0 if ipaddress.ip_address(sys.argv[1]) in ipaddress.ip_network(sys.argv[2], strict=False) else 1)' "$1" "$2" 2>/dev/null
}

# expect_pod_network NODE IP: the pod address IP is on the cluster's network as this node sees it
# (run it on the grader of NODE): inside NODE's pod CIDR, handed out by praxis-net's host-local
# (its record /var/lib/cni/networks/praxis-net/IP on the node), reached through the bridge cni0,
# and answering a ping from the node.
expect_pod_network() {
  local node="$1" ip="$2" n cidr
  kube_get n node "$node"
  cidr=$(jqr "$n" '.spec.podCIDR // ""')
  [ -n "$cidr" ] || fail "$node has no pod CIDR"
  ip_in_cidr "$ip" "$cidr" || fail "a pod on $node has the address $ip, outside $node's pod CIDR $cidr: the runtime uses another network configuration than the cluster's"
  nodefile "/var/lib/cni/networks/praxis-net/$ip" >/dev/null 2>&1 || fail "the address $ip of a pod on $node was not handed out by the cluster's network (praxis-net's host-local has no record of it)"
  ip route get "$ip" 2>/dev/null | grep -q ' dev cni0 ' || fail "$node does not reach its pod $ip through the bridge cni0"
  ping -c 1 -W 2 "$ip" >/dev/null 2>&1 || fail "$node gets no answer from its pod $ip"
}

# probe_dig VAR SERVER NAME [TYPE]: asks SERVER for NAME from the probe pod (dig, one try, from
# source port PROBE_PORT, new for each call, so conntrack_reply udp finds the query). VAR gets
# "STATUS ANSWER..." (STATUS: NOERROR, NXDOMAIN, SERVFAIL..., or TIMEOUT; the answers' data
# separated by spaces).
probe_dig() {
  local __var="$1" __server="$2" __name="$3" __type="${4:-A}" __out __status
  PROBE_PORT=$((40000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
  __out=$(probe_run dig +time=3 +tries=1 -b "0.0.0.0#$PROBE_PORT" "@$__server" "$__name" "$__type" 2>/dev/null) || true
  __status=$(printf '%s\n' "$__out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p' | head -n1)
  printf -v "$__var" '%s %s' "${__status:-TIMEOUT}" "$(printf '%s\n' "$__out" | awk '/^;; ANSWER SECTION:/ { a = 1; next } /^$/ { a = 0 } a && !/^;/ { print $NF }' | tr '\n' ' ')"
}

# node_dig VAR SERVER NAME [TYPE]: the same from this node's own network namespace (the grader's dig).
node_dig() {
  local __var="$1" __server="$2" __name="$3" __type="${4:-A}" __out __status
  PROBE_PORT=$((40000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 20000))
  __out=$(dig +time=3 +tries=1 -b "0.0.0.0#$PROBE_PORT" "@$__server" "$__name" "$__type" 2>/dev/null) || true
  __status=$(printf '%s\n' "$__out" | sed -n 's/.*status: \([A-Z]*\),.*/\1/p' | head -n1)
  printf -v "$__var" '%s %s' "${__status:-TIMEOUT}" "$(printf '%s\n' "$__out" | awk '/^;; ANSWER SECTION:/ { a = 1; next } /^$/ { a = 0 } a && !/^;/ { print $NF }' | tr '\n' ' ')"
}

# kubelet_config VAR NODE: the configuration the kubelet of NODE runs with now (its /configz, read
# through the API server), as JSON: what it loaded at its last start, not what its file says.
kubelet_config() {
  local __var="$1" __node="$2" __out
  __out=$(kubectl --request-timeout=20s get --raw "/api/v1/nodes/$__node/proxy/configz" 2>/dev/null) || fail "the kubelet of $__node does not answer through the API server"
  printf -v "$__var" '%s' "$(jq -c .kubeletconfig <<<"$__out")"
}

# --- Traefik (the image's Ingress and Gateway API controller; labs 14-16) --------------------------
# Which controller the helpers below follow: deployment TRAEFIK_DEPLOYMENT in TRAEFIK_NS, its pods
# labelled TRAEFIK_LABEL; the provider whose routers count (kubernetes: Ingress; kubernetesgateway:
# Gateway API); and how the learner-facing reasons name it and its rules. A lab sets them in its lib.
TRAEFIK_NS=${TRAEFIK_NS:-traefik} TRAEFIK_DEPLOYMENT=${TRAEFIK_DEPLOYMENT:-traefik} TRAEFIK_LABEL=${TRAEFIK_LABEL:-app=traefik}
TRAEFIK_PROVIDER=${TRAEFIK_PROVIDER:-kubernetes} TRAEFIK_ROLE=${TRAEFIK_ROLE:-Ingress controller} TRAEFIK_RULE=${TRAEFIK_RULE:-Ingress rule}

# traefik_rawdata VAR: Traefik's routing table (routers, middlewares, services and their servers)
# as its running pod reports it on its API port 8080, read through the API server's pod proxy.
# Sets TRAEFIK_PODS (the controller's pods: NAME IP NODE READY PHASE).
traefik_rawdata() {
  local __var="$1" __pod __out
  kube_pods_of TRAEFIK_PODS "$TRAEFIK_NS" deployment "$TRAEFIK_DEPLOYMENT"
  __pod=$(awk '$4 == "ready" { print $1; exit }' <<<"$TRAEFIK_PODS")
  [ -n "$__pod" ] || fail "the $TRAEFIK_ROLE (deployment $TRAEFIK_DEPLOYMENT in namespace $TRAEFIK_NS) has no ready pod"
  __out=$(kubectl --request-timeout=20s get --raw "/api/v1/namespaces/$TRAEFIK_NS/pods/$__pod:8080/proxy/api/rawdata" 2>/dev/null) \
    || fail "the $TRAEFIK_ROLE's pod $__pod does not answer on its API port 8080"
  printf -v "$__var" '%s' "$__out"
}

# traefik_router_enabled PATH: Traefik has an enabled router of the provider for PATH now (never
# fails the check: for retry_for while the controller catches up with a change).
traefik_router_enabled() {
  local pod
  pod=$(kubectl --request-timeout=10s -n "$TRAEFIK_NS" get pods -l "$TRAEFIK_LABEL" --field-selector=status.phase=Running -o jsonpath='{.items[0].metadata.name}' 2>/dev/null) || return 1
  kubectl --request-timeout=10s get --raw "/api/v1/namespaces/$TRAEFIK_NS/pods/$pod:8080/proxy/api/rawdata" 2>/dev/null \
    | jq -e --arg p "$1" '[(.routers // {}) | to_entries[] | select(.key | endswith("@" + $prov)) | select(.value.status != "disabled") | select(.value.rule | contains("(\"" + $p + "\")"))] | length > 0' --arg prov "$TRAEFIK_PROVIDER" >/dev/null 2>&1
}

# traefik_expect_routed IP NODEPORT PATH NAMESPACE OWNER [WANT-URI]: a request from this node to
# http://IP:NODEPORT/PATH (the node's own address, the controller's NodePort)
#  - is sent by the kernel (kube-proxy's DNAT, in conntrack) to a pod of the controller,
#  - matches a router of Traefik's (of TRAEFIK_PROVIDER) for PATH whose servers are exactly the
#    ready pods of deployment OWNER in NAMESPACE,
#  - and is answered with 200 by one of those pods, which saw the request come from the
#    controller's pod (and for the path WANT-URI, when given: a rewrite).
# The answering app prints "<app> <pod> <uri> from <client>". Sets TRAEFIK_ROUTER (the router's
# JSON) and TRAEFIK_RAW (Traefik's routing table).
traefik_expect_routed() {
  local ip="$1" port="$2" path="$3" ns="$4" owner="$5" want_uri="${6:-}" answer reply ctl_ips pods want servers name uri from body
  traefik_rawdata TRAEFIK_RAW
  ctl_ips=$(awk '{ print $2 }' <<<"$TRAEFIK_PODS")
  node_http answer "http://$ip:$port$path"
  body="${answer#* }"
  conntrack_reply reply tcp "$ip" "$PROBE_PORT"
  [ -n "$reply" ] || fail "a request to $ip:$port$path was not translated by $PRAXIS_NODE's kernel (no NodePort DNAT): something else answered it"
  grep -qxF "${reply%% *}" <<<"$ctl_ips" || fail "$PRAXIS_NODE's kernel sent the request for port $port to ${reply%% *}, not to the $TRAEFIK_ROLE's pod"
  [ "${answer%% *}" = 200 ] || fail "a request to http://$ip:$port$path through the $TRAEFIK_ROLE got $([ "${answer%% *}" = 000 ] && echo 'no answer' || echo "HTTP ${answer%% *}: $(printf '%s' "$body" | head -n1 | cut -c1-100)")"
  # The router Traefik built for PATH, and the servers of its service.
  TRAEFIK_ROUTER=$(jqr "$TRAEFIK_RAW" '[(.routers // {}) | to_entries[] | select(.key | endswith("@" + $prov)) | select(.value.status != "disabled") | select(.value.rule | contains("(\"" + $p + "\")")) | .value + { name: .key }][0] // empty' --arg p "$path" --arg prov "$TRAEFIK_PROVIDER")
  [ -n "$TRAEFIK_ROUTER" ] || fail "the $TRAEFIK_ROLE has no route for the path $path (no $TRAEFIK_RULE for it that Traefik accepted: see kubectl -n $TRAEFIK_NS logs deploy/$TRAEFIK_DEPLOYMENT)"
  # A service is a load balancer over servers, or (Gateway API) a weighted set of services.
  servers=$(jqr "$TRAEFIK_RAW" 'def q: if test("@") then . else . + "@" + $prov end;
    def servers($s): . as $raw | ((.services // {})[$s] // {}) as $v
      | if $v.loadBalancer then $v.loadBalancer.servers[]?.url
        elif $v.weighted then $v.weighted.services[]?.name | q as $n | $raw | servers($n)
        else empty end;
    servers($r.service | q)' --argjson r "$TRAEFIK_ROUTER" --arg prov "$TRAEFIK_PROVIDER" | sed -E 's#^[a-z]+://##; s#:[0-9]+/?$##' | sort -u)
  kube_pods_of pods "$ns" deployment "$owner"
  want=$(awk '$4 == "ready" && $2 != "-" { print $2 }' <<<"$pods" | sort)
  [ -n "$want" ] || fail "deployment $owner in namespace $ns has no ready pod"
  [ -n "$servers" ] || fail "the controller's route for $path ($(jqr "$TRAEFIK_ROUTER" .service)) has no servers: its Service has no endpoints"
  while read -r s; do
    grep -qxF "$s" <<<"$want" || { kube_pod_by_ip name "$s"; fail "the controller sends $path to $s${name:+ (pod $name)}, which is not a pod of deployment $owner in $ns"; }
  done <<<"$servers"
  name=$(awk '{ print $2 }' <<<"$body" | head -n1)
  uri=$(awk '{ print $3 }' <<<"$body" | head -n1)
  from=$(awk '{ print $5 }' <<<"$body" | head -n1)
  awk -v n="$name" '$1 == n && $4 == "ready" { f = 1 } END { exit !f }' <<<"$pods" || fail "the answer to $path did not come from a pod of deployment $owner (it said: $(printf '%s' "$body" | head -n1 | cut -c1-120))"
  grep -qxF "$from" <<<"$ctl_ips" || fail "the pod $name was asked by $from, not by the $TRAEFIK_ROLE"
  [ -z "$want_uri" ] || [ "$uri" = "$want_uri" ] || fail "the pod $name was asked for $uri, not $want_uri"
}
