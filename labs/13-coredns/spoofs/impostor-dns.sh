# A stand-in DNS server (CoreDNS's image with a hosts file of the usual names) behind kube-dns on 10.96.0.10.
ip=$(kubectl get svc kubernetes -o jsonpath='{.spec.clusterIP}')
image=$(kubectl -n kube-system get deployment coredns -o jsonpath='{.spec.template.spec.containers[0].image}')
kubectl -n kube-system create configmap dns-standin --from-literal=Corefile=".:53 {
    hosts {
        $ip kubernetes.default.svc.cluster.local
    }
}"
kubectl apply -f - <<YAML
apiVersion: apps/v1
kind: Deployment
metadata: { name: dns-standin, namespace: kube-system }
spec:
  replicas: 1
  selector: { matchLabels: { app: dns-standin } }
  template:
    metadata: { labels: { app: dns-standin } }
    spec:
      containers:
      - name: coredns
        image: $image
        args: ["-conf", "/etc/coredns/Corefile"]
        volumeMounts: [{ name: conf, mountPath: /etc/coredns }]
      volumes: [{ name: conf, configMap: { name: dns-standin } }]
YAML
kubectl -n kube-system rollout status deployment dns-standin --timeout=120s
kubectl -n kube-system get svc kube-dns -o yaml | sed -e 's/10\.96\.0\.20/10.96.0.10/g' -e 's/k8s-app: kube-dns$/app: dns-standin/' > /tmp/kube-dns.yaml
kubectl replace --force -f /tmp/kube-dns.yaml
