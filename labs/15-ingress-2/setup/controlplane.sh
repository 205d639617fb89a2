#!/bin/sh
# The lab's cluster before its Ingress controller: the apps wear and video in app-space (pages
# naming the pod that answered, the path and who asked), and the ClusterRole and binding the
# controller's service account will need. The controller's manifest and configuration are in
# /root (files). Runs once on controlplane after the cluster is up; one apply, one bounded wait
# (setup has 60 s in all, and a busy host makes every kubectl call slow).
set -eu
{
printf 'apiVersion: v1\nkind: Namespace\nmetadata: { name: app-space }\n'
for a in wear video; do
  cat <<YAML
---
apiVersion: v1
kind: ConfigMap
metadata: { name: $a-page, namespace: app-space }
data:
  default.conf: |
    server { listen 8080; default_type text/plain; location / { return 200 "$a \$hostname \$request_uri from \$remote_addr\n"; } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: $a, namespace: app-space, labels: { app: $a } }
spec:
  replicas: 2
  selector: { matchLabels: { app: $a } }
  template:
    metadata: { labels: { app: $a } }
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: default.conf }]
      volumes: [{ name: conf, configMap: { name: $a-page } }]
---
apiVersion: v1
kind: Service
metadata: { name: $a-service, namespace: app-space }
spec:
  selector: { app: $a }
  ports: [{ port: 8080, targetPort: 8080 }]
YAML
done
cat <<'YAML'
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: { name: ingress-traefik }
rules:
- apiGroups: [""]
  resources: ["services", "secrets", "endpoints", "namespaces", "nodes", "configmaps"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["discovery.k8s.io"]
  resources: ["endpointslices"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses", "ingressclasses"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["ingresses/status"]
  verbs: ["update"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: { name: ingress-traefik }
roleRef: { apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ingress-traefik }
subjects:
- { kind: ServiceAccount, name: ingress-traefik, namespace: ingress-space }
YAML
} | kubectl apply -f - >/dev/null
kubectl -n app-space wait --for=condition=Available deployment --all --timeout=30s >/dev/null 2>&1 || true
