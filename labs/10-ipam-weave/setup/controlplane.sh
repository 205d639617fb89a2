#!/bin/sh
# Runs once on controlplane after the cluster is up. Two faults, both felt on node01:
# - the plugin's DaemonSet gets a node selector for control-plane nodes, so its agent leaves node01
#   (setup/node01.sh then removes the route it had added to controlplane's pods);
# - node01 already has the lab's /etc/cni/net.d/00-legacy.conflist (copied before setup), a
#   configuration of another network that sorts before the cluster's: the pods of deployment
#   legacy, made here, get addresses from 172.17.0.0/24.
set -eu
kubectl -n kube-system patch daemonset praxis-net --type merge -p '{"spec":{"template":{"spec":{"nodeSelector":{"node-role.kubernetes.io/control-plane":""}}}}}' >/dev/null
# The learner gets a settled DaemonSet: its rollout done, no old agent pod still terminating. Left
# alone, the rollout takes a minute (the agent's shell ignores SIGTERM, so each old pod lasts its
# 30 s grace period, one node after the other: maxUnavailable 1), and a learner who fixes the
# selector meanwhile brings back the first template: the old pod still terminating on controlplane
# has that template's hash, counts as up to date, and the rollout reports done with no agent left
# there. So the old pods go now, with a grace period of 1 s (the delete waits until they are
# gone), and setup waits for the rollout.
kubectl -n kube-system delete pod -l app=praxis-net --grace-period=1 --timeout=60s >/dev/null
kubectl -n kube-system rollout status daemonset praxis-net --timeout=90s >/dev/null
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: { name: legacy, labels: { app: legacy } }
spec:
  replicas: 2
  selector: { matchLabels: { app: legacy } }
  template:
    metadata: { labels: { app: legacy } }
    spec:
      containers:
      - { name: nginx, image: nginx, ports: [{ containerPort: 80 }] }
YAML
kubectl rollout status deployment legacy --timeout=40s >/dev/null 2>&1 || true
