# Runs on both nodes. The plugin's DaemonSet runs its agent on every node (a pod the DaemonSet
# owns on each), this node routes the other node's pod CIDR to that node, and on node01 a new pod
# reaches a pod on controlplane with its own address: node01's connection tracking shows no
# translation.
case "$PRAXIS_NODE" in controlplane) other=node01 other_ip="$node01_ip" ;; *) other=controlplane other_ip="$controlplane_ip" ;; esac
kube_get ds daemonset praxis-net -n kube-system
[ "$(jqr "$ds" .status.desiredNumberScheduled)" = 2 ] || fail "the DaemonSet praxis-net wants its agent on $(jqr "$ds" .status.desiredNumberScheduled) node(s), not on both"
kube_pods_of agents kube-system daemonset praxis-net
grep -q " $PRAXIS_NODE ready " <<<"$agents" || fail "no ready agent of praxis-net (a pod of its DaemonSet) runs on $PRAXIS_NODE (after a change to the DaemonSet, wait for \`kubectl -n kube-system rollout status ds praxis-net\` and check again: an old agent pod takes up to 30 s to stop)"
kube_get o node "$other"
other_cidr=$(jqr "$o" .spec.podCIDR)
ip route get "${other_cidr%.*}.9" 2>/dev/null | grep -q "via $other_ip " || fail "$PRAXIS_NODE has no route to $other's pods ($other_cidr) through $other ($other_ip)"
[ "$PRAXIS_NODE" = node01 ] || exit 0
# Pod to pod across the nodes: a test pod on controlplane, pinged from a test pod on node01; node01's
# connection tracking shows the echo answered by that pod's own address (no NAT on the way).
probe_pod controlplane
target="$PROBE_IP"
probe_pod node01
probe_run ping -c 2 -W 2 "$target" >/dev/null 2>&1 || fail "a pod on node01 gets no answer from a pod on controlplane ($target)"
state line conntrack -L -p icmp -s "$PROBE_IP" -d "$target"
case "$line" in
  *"src=$target dst=$PROBE_IP "*) ;;
  "") fail "the ping from a pod on node01 to a pod on controlplane did not cross node01's network" ;;
  *) fail "the ping from a pod on node01 to a pod on controlplane is translated (NAT) on node01: pods must reach each other with their own addresses" ;;
esac
