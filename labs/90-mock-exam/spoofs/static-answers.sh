# CoreDNS with a hosts block for the kubernetes Service's name instead of the kubernetes plugin.
ip=$(kubectl get svc kubernetes -o jsonpath='{.spec.clusterIP}')
cat > /tmp/Corefile <<COREFILE
.:53 {
    errors
    health
    ready
    hosts {
        $ip kubernetes.default.svc.cluster.local kubernetes.default kubernetes
        fallthrough
    }
    forward . /etc/resolv.conf
    reload
}
COREFILE
kubectl -n kube-system create configmap coredns --from-file=Corefile=/tmp/Corefile --dry-run=client -o yaml | kubectl replace -f -
kubectl -n kube-system scale deployment coredns --replicas=2
kubectl -n kube-system rollout restart deployment coredns
kubectl -n kube-system rollout status deployment coredns --timeout=120s
