# Port 30080 of this node DNATed by hand to an api pod, ahead of kube-proxy's rules.
if [ -r /etc/kubernetes/admin.conf ]; then
  pod=$(kubectl get pods -l app=api -o jsonpath='{.items[0].status.podIP}')
else
  pod=$(crictl inspectp "$(crictl pods --label app=api --state ready -q | head -n1)" | jq -r .status.network.ip)
fi
[ -n "$pod" ] || { echo "no api pod found" >&2; exit 1; }
for chain in OUTPUT PREROUTING; do
  iptables -t nat -I "$chain" -p tcp --dport 30080 -m addrtype --dst-type LOCAL -m comment --comment spoof -j DNAT --to-destination "$pod:80"
done
