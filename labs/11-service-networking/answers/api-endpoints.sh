# The number of KUBE-SEP jumps in default/api's KUBE-SVC chain.
api_chain() { chain=$(iptables_rules -t nat KUBE-SERVICES | sed -n 's|.*--comment "default/api cluster IP".* -j \(KUBE-SVC-[A-Z0-9]*\).*|\1|p' | head -n1); [ -n "$chain" ]; }
retry_for 30 api_chain || { echo "no rule for default/api in KUBE-SERVICES" >&2; exit 1; }
iptables_rules -t nat "$chain" | grep -c -- '-j KUBE-SEP-'
