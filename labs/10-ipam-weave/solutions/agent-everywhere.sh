set -e
kubectl -n kube-system patch daemonset praxis-net --type json -p '[{"op":"remove","path":"/spec/template/spec/nodeSelector"}]'
kubectl -n kube-system rollout status daemonset praxis-net --timeout=120s
# The agent on node01 adds its route to controlplane's pods within one round of its loop (5 s).
sleep 6
