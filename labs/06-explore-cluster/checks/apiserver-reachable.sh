# node01 reaches the API server again, proved three ways:
# - on node01: a fresh TLS connection from node01's own network namespace to controlplane:6443 is
#   answered by the real API server (its certificate verifies against the cluster's CA; a
#   stand-in cannot present one) and /livez says ok;
# - on controlplane: the kernel's socket table holds an established connection from node01 to
#   port 6443 that carried data in the last 20 s (the kubelet's own), and node01's Lease, which
#   only node01's kubelet renews, was renewed in the last 40 s, and the node is Ready.
case "$PRAXIS_NODE" in
  node01)
    kube_ca=$(mktemp) || fail "the grader could not make a scratch file"
    grep -o 'certificate-authority-data: .*' "$KUBECONFIG" | head -n1 | cut -d' ' -f2 | base64 -d > "$kube_ca" 2>/dev/null
    [ -s "$kube_ca" ] || fail "the grader has no cluster CA to verify the API server with"
    out=$(curl -s --max-time 5 --cacert "$kube_ca" "https://$controlplane_ip:6443/livez" 2>&1); rc=$?
    case "$rc" in
      0) [ "$out" = ok ] || fail "the API server at $controlplane_ip:6443 answered node01, but not ok: $out" ;;
      28 | 7) fail "node01 cannot open a connection to the API server at $controlplane_ip:6443 (it times out or is refused)" ;;
      35 | 51 | 58 | 60) fail "something answers node01 on $controlplane_ip:6443, but not the cluster's API server (its certificate is not the cluster's)" ;;
      *) fail "node01 cannot talk to the API server at $controlplane_ip:6443 (curl exit $rc)" ;;
    esac
    ;;
  controlplane)
    kube_get n node node01
    ready=$(jqr "$n" '.status.conditions[] | select(.type == "Ready") | .status')
    [ "$ready" = True ] || fail "node01 is not Ready ($(jqr "$n" '.status.conditions[] | select(.type == "Ready") | .message'))"
    kube_get lease lease node01 -n kube-node-lease
    renewed=$(jqr "$lease" .spec.renewTime)
    age=$(( $(date +%s) - $(date -d "$renewed" +%s 2>/dev/null || echo 0) ))
    [ "$age" -le 40 ] || fail "node01's kubelet last renewed its lease $age s ago: it does not reach the API server"
    conns=$(ss -tin state established "( sport = :6443 )" dst "$node01_ip" 2>/dev/null)
    recent=$(printf '%s\n' "$conns" | grep -o 'lastrcv:[0-9]*' | cut -d: -f2 | sort -n | head -n1)
    [ -n "$recent" ] || fail "controlplane has no established connection from node01 ($node01_ip) to the API server's port 6443"
    [ "$recent" -le 20000 ] || fail "the connections from node01 to the API server carried nothing for $((recent / 1000)) s"
    ;;
esac
