#!/bin/sh
# The workloads of the lab: web and api (nginx pages naming the pod that answered), and shop, whose
# Service selects a label its pods do not carry. Runs once on controlplane after the cluster is up.
set -eu
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: { name: pages }
data:
  web.conf: |
    server { listen 80; default_type text/plain; location / { return 200 "web $hostname $request_uri\n"; } }
  api.conf: |
    server { listen 80; default_type text/plain; location / { return 200 "api $hostname $request_uri\n"; } }
  shop.conf: |
    server { listen 8080; default_type text/plain; location / { return 200 "shop $hostname $request_uri\n"; } }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, labels: { app: web } }
spec:
  replicas: 2
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{ containerPort: 80 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: web.conf }]
      volumes: [{ name: conf, configMap: { name: pages } }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: api, labels: { app: api } }
spec:
  replicas: 2
  selector: { matchLabels: { app: api } }
  template:
    metadata: { labels: { app: api } }
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{ containerPort: 80 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: api.conf }]
      volumes: [{ name: conf, configMap: { name: pages } }]
---
apiVersion: v1
kind: Service
metadata: { name: api }
spec:
  selector: { app: api }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: shop, labels: { app: shop } }
spec:
  replicas: 2
  selector: { matchLabels: { app: shop, tier: frontend } }
  template:
    metadata: { labels: { app: shop, tier: frontend } }
    spec:
      containers:
      - name: nginx
        image: nginx
        ports: [{ containerPort: 8080 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: shop.conf }]
      volumes: [{ name: conf, configMap: { name: pages } }]
---
apiVersion: v1
kind: Service
metadata: { name: shop }
spec:
  selector: { app: shop-frontend }
  ports: [{ port: 80, targetPort: 8080 }]
YAML
# Ready before the learner starts (bounded: setup has 60 s in all).
for d in web api shop; do kubectl rollout status deployment "$d" --timeout=40s >/dev/null 2>&1 || true; done
