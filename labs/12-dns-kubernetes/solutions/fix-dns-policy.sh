kubectl get pod dns-broken -o yaml | sed 's/dnsPolicy: Default/dnsPolicy: ClusterFirst/' > /tmp/dns-broken.yaml
kubectl replace --force -f /tmp/dns-broken.yaml
kubectl wait --for=condition=Ready pod/dns-broken --timeout=90s
