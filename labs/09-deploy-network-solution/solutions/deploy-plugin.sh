# The cluster's pod network, and a DaemonSet that tolerates every taint.
sed -i 's#"Network": "10.244.0.0/16"#"Network": "10.50.0.0/16"#' /root/praxis-net.yaml
grep -q 'operator: Exists' /root/praxis-net.yaml || sed -i 's#^      serviceAccountName: praxis-net$#      serviceAccountName: praxis-net\n      tolerations:\n      - operator: Exists#' /root/praxis-net.yaml
kubectl apply -f /root/praxis-net.yaml
kubectl -n kube-system rollout status daemonset praxis-net --timeout=120s
kubectl wait --for=condition=Ready node --all --timeout=120s
