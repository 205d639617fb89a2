# The chain KUBE-SERVICES jumps to for the ClusterIP of default/api, in both iptables backends
# (kube-proxy writes it once the Service has a ready endpoint: wait a little for a fresh cluster).
api_chain() { chain=$(iptables_rules -t nat KUBE-SERVICES | sed -n 's|.*--comment "default/api cluster IP".* -j \(KUBE-SVC-[A-Z0-9]*\).*|\1|p' | head -n1); [ -n "$chain" ]; }
retry_for 30 api_chain || { echo "no rule for default/api in KUBE-SERVICES" >&2; exit 1; }
echo "$chain"
