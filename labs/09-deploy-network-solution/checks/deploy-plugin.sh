# Runs on both nodes. The plugin runs as the cluster's DaemonSet on every node with this cluster's
# pod network, and on this node:
# - the node is Ready;
# - a new pod gets an address of the node's pod CIDR from praxis-net's host-local;
# - the kernel routes the other node's pod CIDR to that node;
# - the masquerade rule the plugin writes matches pod traffic: a connection from the new pod to
#   the other node's address leaves with this node's address (conntrack shows the SNAT).
case "$PRAXIS_NODE" in controlplane) other=node01 ;; *) other=controlplane ;; esac
kube_find ds daemonset praxis-net -n kube-system || fail "there is no DaemonSet praxis-net in kube-system: the network plugin is not deployed"
desired=$(jqr "$ds" .status.desiredNumberScheduled)
ready=$(jqr "$ds" .status.numberReady)
[ "$desired" = 2 ] || fail "the DaemonSet praxis-net runs on $desired of the 2 nodes: does it tolerate the nodes' taints?"
[ "$ready" = 2 ] || fail "only $ready of the 2 praxis-net pods are ready"
kube_get cm configmap praxis-net-config -n kube-system
net=$(jqr "$cm" '.data["net-conf.json"]' | jq -r .Network 2>/dev/null)
[ "$net" = "$pod_net" ] || fail "the plugin is configured for the pod network ${net:-(none)}, but this cluster's pods are in $pod_net"
kube_get n node "$PRAXIS_NODE"
[ "$(jqr "$n" '.status.conditions[] | select(.type == "Ready") | .status')" = True ] || fail "$PRAXIS_NODE is not Ready: $(jqr "$n" '.status.conditions[] | select(.type == "Ready") | .message')"
cidr=$(jqr "$n" .spec.podCIDR)
kube_get o node "$other"
other_cidr=$(jqr "$o" .spec.podCIDR)
other_ip=$(node_ip_of "$other")
ip route get "${other_cidr%.*}.5" 2>/dev/null | grep -q "via $other_ip " || fail "$PRAXIS_NODE has no route to $other's pods ($other_cidr) through $other ($other_ip)"
probe_pod "$PRAXIS_NODE"
ip_in_cidr "$PROBE_IP" "$cidr" || fail "a new pod on $PRAXIS_NODE got $PROBE_IP, outside the node's pod CIDR $cidr"
nodefile "/var/lib/cni/networks/praxis-net/$PROBE_IP" >/dev/null 2>&1 || fail "the address $PROBE_IP of a new pod on $PRAXIS_NODE was not handed out by praxis-net"
pod_http answer "https://$other_ip:10250/healthz" -k
conntrack_reply reply tcp "$PROBE_IP" "$PROBE_PORT"
[ -n "$reply" ] || fail "a connection from a pod on $PRAXIS_NODE to $other ($other_ip) left no trace in $PRAXIS_NODE's connection tracking"
line=$(conntrack -L -p tcp -s "$PROBE_IP" --sport "$PROBE_PORT" 2>/dev/null | head -n1)
mine=$(node_ip_of "$PRAXIS_NODE")
case "$line" in
  *"dst=$mine sport=10250"*) ;;
  *) fail "traffic from pods on $PRAXIS_NODE to $other_ip (outside the pod network) is not masqueraded to $PRAXIS_NODE's address" ;;
esac
