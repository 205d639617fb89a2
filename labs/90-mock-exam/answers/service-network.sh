# The API server's --service-cluster-ip-range, read from its static pod manifest on controlplane.
m=$(nodefile /etc/kubernetes/manifests/kube-apiserver.yaml) || exit 1
printf '%s\n' "$m" | sed -n 's/.*--service-cluster-ip-range=\([^[:space:]"]*\).*/\1/p' | head -n1
