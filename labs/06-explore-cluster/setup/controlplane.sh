#!/bin/sh
# CoreDNS's two pods are what runs on the pod network of this cluster. If both landed on node01
# (node01 went Ready first), roll them out again: with both nodes Ready, their anti-affinity puts
# one on each node, so controlplane has its cni0 bridge with a pod plugged in, as the questions say.
set -eu
if [ -z "$(kubectl -n kube-system get pods -l k8s-app=kube-dns --field-selector spec.nodeName=controlplane -o name)" ]; then
  kubectl -n kube-system rollout restart deployment coredns >/dev/null
  kubectl -n kube-system rollout status deployment coredns --timeout=120s >/dev/null
fi
# A firewall rule on controlplane drops everything node01 sends to the API server's port: node01's
# kubelet can no longer renew its lease, and the node goes NotReady within a minute.
iptables -I INPUT -s 192.168.121.11/32 -p tcp --dport 6443 -j DROP
