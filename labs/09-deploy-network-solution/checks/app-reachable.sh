# Runs on controlplane. The pod app runs on node01 with an address of node01's pod CIDR, and a new
# pod on controlplane reaches its web server; node01's side of the connection shows the pod's own
# address (no NAT between pods): controlplane's conntrack has no source translation for it.
kube_get a pod app -n default
if [ "$(jqr "$a" .status.phase)" != Running ]; then
  # The node's own reason first (a node without a network plugin says so); the pod's last warning
  # otherwise.
  node=$(jqr "$a" '.spec.nodeName // "node01"')
  kube_get n node "$node"
  if [ "$(jqr "$n" '.status.conditions[] | select(.type == "Ready") | .status')" != True ]; then
    why="$node is not Ready ($(jqr "$n" '.status.conditions[] | select(.type == "Ready") | .message' | head -c 300))"
  else
    kube_last_warning why default app
  fi
  fail "the pod app has not started ($(jqr "$a" .status.phase))${why:+: $why}"
fi
ip=$(jqr "$a" '.status.podIP // ""')
kube_get n node node01
ip_in_cidr "$ip" "$(jqr "$n" .spec.podCIDR)" || fail "the pod app has the address ${ip:-none}, outside node01's pod CIDR"
probe_pod controlplane
pod_http answer "http://$ip/"
[ "${answer%% *}" = 200 ] || fail "a pod on controlplane gets no answer from app ($ip:80)"
line=$(conntrack -L -p tcp -s "$PROBE_IP" --sport "$PROBE_PORT" 2>/dev/null | head -n1)
[ -n "$line" ] || fail "the connection from a pod on controlplane to app did not cross controlplane's network"
case "$line" in
  *"src=$ip dst=$PROBE_IP "*) ;;
  *) fail "the connection from a pod on controlplane to app is translated on its way (NAT): pods must reach each other with their own addresses" ;;
esac
