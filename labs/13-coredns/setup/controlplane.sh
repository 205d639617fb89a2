#!/bin/sh
# Breaks the cluster's DNS in three places (node01.sh breaks a fourth): a misspelt zone in the
# Corefile, CoreDNS scaled to zero, the Service kube-dns recreated on another address (10.96.0.20)
# than the one the kubelets give pods (10.96.0.10). A web Service gives names to look up.
set -eu
kubectl -n kube-system get cm coredns -o yaml | sed 's/kubernetes cluster.local in-addr.arpa/kubernetes cluster.lcoal in-addr.arpa/' | kubectl replace -f - >/dev/null
kubectl -n kube-system scale deployment coredns --replicas=0 >/dev/null
kubectl -n kube-system delete service kube-dns >/dev/null
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata:
  name: kube-dns
  namespace: kube-system
  labels: { k8s-app: kube-dns, kubernetes.io/cluster-service: "true", kubernetes.io/name: CoreDNS }
  annotations: { prometheus.io/port: "9153", prometheus.io/scrape: "true" }
spec:
  clusterIP: 10.96.0.20
  selector: { k8s-app: kube-dns }
  ports:
  - { name: dns, port: 53, protocol: UDP, targetPort: 53 }
  - { name: dns-tcp, port: 53, protocol: TCP, targetPort: 53 }
  - { name: metrics, port: 9153, protocol: TCP, targetPort: 9153 }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers: [{ name: nginx, image: nginx }]
---
apiVersion: v1
kind: Service
metadata: { name: web, namespace: default }
spec: { selector: { app: web }, ports: [{ port: 80 }] }
YAML
