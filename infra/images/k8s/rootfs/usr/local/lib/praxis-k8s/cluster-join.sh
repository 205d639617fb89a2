#!/bin/bash
# Joins this node to the cluster as a worker. Run once by Praxis at provisioning. Input
# (environment): NODE_NAME, NODE_IP, SERVICE_SUBNET, API_ENDPOINT, JOIN_TOKEN, CA_CERT_HASH.
set -euo pipefail
source /usr/local/lib/praxis-k8s/common.sh
write_route_to_services
mkdir -p /etc/kubernetes
cat > /etc/kubernetes/kubeadm-join.yaml <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: ${API_ENDPOINT}
    token: ${JOIN_TOKEN}
    caCertHashes: ["${CA_CERT_HASH}"]
nodeRegistration:
  name: ${NODE_NAME}
  criSocket: unix:///run/containerd/containerd.sock
  ignorePreflightErrors: [all]
  kubeletExtraArgs:
  - name: node-ip
    value: ${NODE_IP}
YAML
kubeadm join --config /etc/kubernetes/kubeadm-join.yaml
