#!/bin/sh
# The lab's Gateway API set-up on a cluster whose Traefik runs only its Gateway API provider
# (cluster.gateway): the apps frontend and api in app-space (pages naming the pod that answered,
# the path it was asked for and who asked; api serves only "/"), and the Gateway web-gateway in
# gateway-space, of class traefik, whose listener accepts routes from its own namespace only.
# Runs once on controlplane after the cluster is up; one apply, one bounded wait (setup has 60 s in
# all, and a busy host makes every kubectl call slow).
set -eu
app() {
  # app NAME SERVICE-PORT CONF: two nginx pods serving CONF on 8080, a Service NAME-svc in front.
  cat <<YAML
---
apiVersion: v1
kind: ConfigMap
metadata: { name: $1-page, namespace: app-space }
data:
  default.conf: |
    $3
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: $1, namespace: app-space, labels: { app: $1 } }
spec:
  replicas: 2
  selector: { matchLabels: { app: $1 } }
  template:
    metadata: { labels: { app: $1 } }
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: default.conf }]
      volumes: [{ name: conf, configMap: { name: $1-page } }]
---
apiVersion: v1
kind: Service
metadata: { name: $1-svc, namespace: app-space }
spec:
  selector: { app: $1 }
  ports: [{ port: $2, targetPort: 8080 }]
YAML
}
{
printf 'apiVersion: v1\nkind: Namespace\nmetadata: { name: app-space }\n---\napiVersion: v1\nkind: Namespace\nmetadata: { name: gateway-space }\n'
app frontend 80 'server { listen 8080; default_type text/plain; location / { return 200 "frontend $hostname $request_uri from $remote_addr\n"; } }'
app api 8080 'server { listen 8080; default_type text/plain; location = / { return 200 "api $hostname $request_uri from $remote_addr\n"; } location / { return 404 "api $hostname has no page at $request_uri\n"; } }'
cat <<'YAML'
---
apiVersion: gateway.networking.k8s.io/v1
kind: Gateway
metadata:
  name: web-gateway
  namespace: gateway-space
spec:
  gatewayClassName: traefik
  listeners:
  - name: http
    protocol: HTTP
    port: 80
YAML
} | kubectl apply -f - >/dev/null
kubectl -n app-space wait --for=condition=Available deployment --all --timeout=30s >/dev/null 2>&1 || true
