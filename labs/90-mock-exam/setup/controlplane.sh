#!/bin/sh
# The exam's cluster: the workloads of the Service questions (web, api, and shop whose Service
# selects a label its pods do not carry), the DNS questions (the namespaces default and payroll
# with a Service web-service each, the database mysql in payroll, webapp that looks for it in its
# own namespace), and CoreDNS broken twice (scaled to
# zero, a misspelt zone). Runs once on controlplane after the cluster is up (60 s in all).
set -eu
kubectl -n kube-system get cm coredns -o yaml | sed 's/kubernetes cluster.local in-addr.arpa/kubernetes cluster.lcoal in-addr.arpa/' | kubectl replace -f - >/dev/null
kubectl -n kube-system scale deployment coredns --replicas=0 >/dev/null
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Namespace
metadata: { name: payroll }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: pages, namespace: default }
data:
  web.conf: |
    server { listen 80; default_type text/plain; location / { return 200 "web $hostname $request_uri\n"; } }
  api.conf: |
    server { listen 80; default_type text/plain; location / { return 200 "api $hostname $request_uri\n"; } }
  shop.conf: |
    server { listen 8080; default_type text/plain; location / { return 200 "shop $hostname $request_uri\n"; } }
  hr.conf: |
    server { listen 80; default_type text/plain; location / { return 200 "hr $hostname\n"; } }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: pages, namespace: payroll }
data:
  payroll.conf: |
    server { listen 80; default_type text/plain; location / { return 200 "payroll $hostname\n"; } }
  mysql.conf: |
    server { listen 3306; default_type text/plain; location / { return 200 "mysql $hostname ready\n"; } }
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
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: hr, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { name: hr } }
  template:
    metadata: { labels: { name: hr } }
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: hr.conf }]
      volumes: [{ name: conf, configMap: { name: pages } }]
---
apiVersion: v1
kind: Service
metadata: { name: web-service, namespace: default }
spec: { selector: { name: hr }, ports: [{ port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: payroll }
spec:
  replicas: 1
  selector: { matchLabels: { name: web-payroll } }
  template:
    metadata: { labels: { name: web-payroll } }
    spec:
      containers:
      - name: nginx
        image: nginx
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: payroll.conf }]
      volumes: [{ name: conf, configMap: { name: pages } }]
---
apiVersion: v1
kind: Service
metadata: { name: web-service, namespace: payroll }
spec: { selector: { name: web-payroll }, ports: [{ port: 80 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: mysql, namespace: payroll }
spec:
  replicas: 1
  selector: { matchLabels: { name: mysql } }
  template:
    metadata: { labels: { name: mysql } }
    spec:
      containers:
      - name: mysql
        image: nginx
        ports: [{ containerPort: 3306 }]
        volumeMounts: [{ name: conf, mountPath: /etc/nginx/conf.d/default.conf, subPath: mysql.conf }]
      volumes: [{ name: conf, configMap: { name: pages } }]
---
apiVersion: v1
kind: Service
metadata: { name: mysql, namespace: payroll }
spec: { selector: { name: mysql }, ports: [{ port: 3306 }] }
---
apiVersion: apps/v1
kind: Deployment
metadata: { name: webapp, namespace: default }
spec:
  replicas: 1
  selector: { matchLabels: { name: webapp } }
  template:
    metadata: { labels: { name: webapp } }
    spec:
      containers:
      - name: webapp
        image: praxis/tools
        env:
        - { name: DB_Host, value: mysql }
        - { name: DB_Port, value: "3306" }
        command: ["sh", "-c", "while :; do if out=$(curl -sS --max-time 3 \"http://$DB_Host:$DB_Port/\" 2>&1); then echo \"connected to $DB_Host: $out\"; else echo \"cannot reach the database at $DB_Host:$DB_Port: $out\"; fi; sleep 5; done"]
---
apiVersion: v1
kind: Pod
metadata: { name: test, namespace: default }
spec:
  containers:
  - { name: test, image: praxis/tools, command: [sleep, infinity] }
YAML
# Ready before the learner starts, within setup's 60 s.
kubectl wait --for=condition=Available deployment --all -n payroll --timeout=20s >/dev/null 2>&1 || true
kubectl wait --for=condition=Available deployment --all -n default --timeout=30s >/dev/null 2>&1 || true
