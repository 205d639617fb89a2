kubectl -n kube-system get svc kube-dns -o yaml | sed 's/10\.96\.0\.20/10.96.0.10/g' > /tmp/kube-dns.yaml
kubectl replace --force -f /tmp/kube-dns.yaml
