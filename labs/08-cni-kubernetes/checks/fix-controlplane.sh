# Runs on controlplane. A new pod of the grader's own starts there on the cluster's network (an
# address of controlplane's pod CIDR that praxis-net's host-local handed out and recorded, behind
# cni0, answering the node), and so does the pod monitor.
probe_pod controlplane
expect_pod_network controlplane "$PROBE_IP"
monitor_up() {
  kube_get m pod monitor -n default
  [ "$(jqr "$m" '.status.phase')" = Running ]
}
if ! retry_for 60 monitor_up; then
  kube_last_warning why default monitor
  fail "pod monitor does not run ($(jqr "$m" '.status.phase'))${why:+: $why}"
fi
expect_pod_on_network controlplane monitor "$(jqr "$m" '.status.podIP // ""')"
