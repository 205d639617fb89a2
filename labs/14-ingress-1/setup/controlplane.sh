#!/bin/sh
# The lab's ingress set-up on a cluster that runs Traefik (cluster.ingress): in app-space the apps
# wear, video and a default backend, each page naming the pod that answered, the path it was asked
# for and who connected (Traefik's pod address when the request came through the controller); the
# Ingress ingress-wear-watch (/wear, /watch) and the Ingress default-backend (no rules, only a
# default backend: Traefik's catch-all). In critical-space the app pay, which serves only "/".
# Runs once on controlplane after the cluster is up; one apply, one bounded wait (setup has 60 s
# in all, and a busy host makes every kubectl call slow).
set -eu
app() {
  # app NAMESPACE NAME SERVICE SERVICE-PORT CONF: a deployment of two nginx pods serving CONF on
  # port 8080 and a ClusterIP Service in front of it.
  cat <<YAML
---
apiVersion: v1
kind: ConfigMap
metadata: { name: $2-page, namespace: $1 }
data:
  default.conf: |
    $5
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: $2, namespace: $1, labels: { app: $2 } }
spec:
  replicas: 2
  selector: { matchLabels: { app: $2 } }
  template:
    metadata: { labels: { app: $2 } }
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: default.conf }]
      volumes: [{ name: conf, configMap: { name: $2-page } }]
---
apiVersion: v1
kind: Service
metadata: { name: $3, namespace: $1 }
spec:
  selector: { app: $2 }
  ports: [{ port: $4, targetPort: 8080 }]
YAML
}
page() { printf 'server { listen 8080; default_type text/plain; location / { return 200 "%s $hostname $request_uri from $remote_addr\\n"; } }' "$1"; }
{
  cat <<'YAML'
apiVersion: v1
kind: Namespace
metadata: { name: app-space }
---
apiVersion: v1
kind: Namespace
metadata: { name: critical-space }
YAML
  app app-space wear wear-service 8080 "$(page wear)"
  app app-space video video-service 8080 "$(page video)"
  app app-space default-backend default-backend-service 80 'server { listen 8080; default_type text/plain; location / { return 404 "default-backend $hostname $request_uri from $remote_addr\n"; } }'
  app critical-space pay pay-service 8282 'server { listen 8080; default_type text/plain; location = / { return 200 "pay $hostname $request_uri from $remote_addr\n"; } location / { return 404 "pay $hostname has no page at $request_uri\n"; } }'
  cat <<'YAML'
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ingress-wear-watch
  namespace: app-space
spec:
  ingressClassName: traefik
  rules:
  - http:
      paths:
      - path: /wear
        pathType: Prefix
        backend: { service: { name: wear-service, port: { number: 8080 } } }
      - path: /watch
        pathType: Prefix
        backend: { service: { name: video-service, port: { number: 8080 } } }
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: default-backend
  namespace: app-space
spec:
  ingressClassName: traefik
  defaultBackend: { service: { name: default-backend-service, port: { number: 80 } } }
YAML
} | kubectl apply -f - >/dev/null
# Ready before the learner starts where the host allows; the checks wait for pods themselves.
kubectl wait --for=condition=Available deployment --all -A --timeout=30s >/dev/null 2>&1 || true
