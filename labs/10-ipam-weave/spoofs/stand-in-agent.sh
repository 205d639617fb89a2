# A pod on node01 that looks like the plugin's agent (name, image, script, privileges, a label
# k8s-app=praxis-net) but is no pod of the DaemonSet, which still selects control-plane nodes only.
# It does not carry the DaemonSet's own selector label app=praxis-net: the DaemonSet controller
# would adopt such a pod and delete it from a node its selector excludes.
set -e
kubectl -n kube-system get daemonset praxis-net -o json |
  jq '{apiVersion: "v1", kind: "Pod", metadata: {name: "praxis-net-standin", namespace: "kube-system", labels: {"k8s-app": "praxis-net"}}, spec: (.spec.template.spec | del(.nodeSelector) | .nodeName = "node01")}' |
  kubectl apply -f -
kubectl -n kube-system wait --for=condition=Ready pod/praxis-net-standin --timeout=60s
