kubectl -n kube-system get cm coredns -o yaml | sed 's/kubernetes cluster.lcoal/kubernetes cluster.local/' | kubectl replace -f -
kubectl -n kube-system rollout restart deployment coredns
kubectl -n kube-system rollout status deployment coredns --timeout=120s
