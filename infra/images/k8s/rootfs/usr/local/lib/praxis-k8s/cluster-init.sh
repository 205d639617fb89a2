#!/bin/bash
# Makes this node the control plane of a kubeadm cluster. Run once by Praxis at provisioning,
# before the learner has the node. Input (environment): NODE_NAME, NODE_IP, POD_SUBNET,
# SERVICE_SUBNET, KUBE_PROXY_MODE, CLUSTER_NAME. Leaves /etc/kubernetes/kubeadm-config.yaml for
# the learner to read, and admin credentials in /etc/kubernetes/admin.conf and ~/.kube/config.
set -euo pipefail
source /usr/local/lib/praxis-k8s/common.sh
version=$(kubeadm version -o short)
write_route_to_services
cat > /etc/kubernetes/kubeadm-config.yaml <<YAML
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: ${NODE_IP}
  bindPort: 6443
nodeRegistration:
  name: ${NODE_NAME}
  criSocket: unix:///run/containerd/containerd.sock
  # Preflight checks that cannot pass in a container (swap, kernel config, cgroups, memory).
  ignorePreflightErrors: [all]
  kubeletExtraArgs:
  - name: node-ip
    value: ${NODE_IP}
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: ${version}
clusterName: ${CLUSTER_NAME}
controlPlaneEndpoint: ${NODE_IP}:6443
networking:
  dnsDomain: cluster.local
  podSubnet: ${POD_SUBNET}
  serviceSubnet: ${SERVICE_SUBNET}
apiServer:
  extraArgs:
  # Learners type "kubectl run web --image=nginx": an image without a tag defaults to
  # imagePullPolicy Always, which needs a registry these machines do not have. The
  # praxis-offline-images policy (a MutatingAdmissionPolicy, beta in 1.34) turns Always into
  # IfNotPresent, so the preloaded images are used.
  - name: feature-gates
    value: MutatingAdmissionPolicy=true
  - name: runtime-config
    value: admissionregistration.k8s.io/v1beta1=true
# One control plane: no other instance to elect. Leader election would only make the controller
# manager and the scheduler exit when a busy machine delays a lease renewal past its deadline.
controllerManager:
  extraArgs:
  - name: leader-elect
    value: "false"
scheduler:
  extraArgs:
  - name: leader-elect
    value: "false"
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: cgroupfs
# The node's cgroups belong to the host's root: kubelet cannot make QoS cgroups or enforce
# node allocatable (the node container's own limits still apply).
cgroupsPerQOS: false
enforceNodeAllocatable: [none]
failSwapOn: false
featureGates:
  # Tolerates what a user namespace refuses: oom_score_adj, /dev/kmsg, kernel sysctls.
  KubeletInUserNamespace: true
# The preloaded images cannot be pulled again (no registry): never garbage-collect them.
imageGCHighThresholdPercent: 100
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ${KUBE_PROXY_MODE}
# nf_conntrack_max and the conntrack timeouts are host-wide: read-only in a node.
conntrack:
  maxPerCore: 0
  tcpEstablishedTimeout: 0s
  tcpCloseWaitTimeout: 0s
YAML
kubeadm init --config /etc/kubernetes/kubeadm-config.yaml --skip-token-print
mkdir -p /root/.kube
cp /etc/kubernetes/admin.conf /root/.kube/config
kubectl --kubeconfig /etc/kubernetes/admin.conf apply -f /etc/kubernetes/addons/offline-images.yaml >/dev/null
