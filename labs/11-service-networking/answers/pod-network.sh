# The controller manager's --cluster-cidr, read from its static pod manifest on controlplane.
m=$(nodefile /etc/kubernetes/manifests/kube-controller-manager.yaml) || exit 1
printf '%s\n' "$m" | sed -n 's/.*--cluster-cidr=\([^[:space:]"]*\).*/\1/p' | head -n1
