#!/bin/sh
# Runs once on controlplane after the cluster is up (node01 already has the lab's file
# /etc/cni/net.d/00-calico.conflist, copied before any setup runs). Two breaks, one per task:
# - controlplane: the IPAM plugin host-local loses its execute bit, so the bridge plugin cannot
#   run it and no new pod on controlplane gets an address;
# - the deployment app (pods on node01, where the first configuration names a plugin that is not
#   installed) and the pod monitor (pinned to controlplane) show both in ContainerCreating.
set -eu
chmod 0644 /opt/cni/bin/host-local
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: app, labels: { app: app } }
spec:
  replicas: 2
  selector: { matchLabels: { app: app } }
  template:
    metadata: { labels: { app: app } }
    spec:
      containers:
      - { name: nginx, image: nginx, ports: [{ containerPort: 80 }] }
---
apiVersion: v1
kind: Pod
metadata: { name: monitor, labels: { app: monitor } }
spec:
  nodeName: controlplane
  tolerations: [{ key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }]
  containers:
  - { name: monitor, image: busybox, command: [sleep, "infinity"] }
YAML
