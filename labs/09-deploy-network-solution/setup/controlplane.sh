#!/bin/sh
# A cluster without a network plugin: every node NotReady. The plugin's manifest for the learner is
# /root/praxis-net.yaml, a copy of the one in /etc/kubernetes/addons without the DaemonSet's
# tolerations (so it runs on no NotReady or control-plane node until they are added) and with the
# default pod network 10.244.0.0/16, not this cluster's. The pod app is bound to node01 and waits
# for a network.
set -eu
sed '/^      tolerations:$/,/^      - operator: Exists$/d' /etc/kubernetes/addons/praxis-net.yaml > /root/praxis-net.yaml
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: { name: app, labels: { app: app } }
spec:
  nodeName: node01
  containers:
  - { name: nginx, image: nginx, ports: [{ containerPort: 80 }] }
YAML
