#!/bin/sh
# Two namespaces with a Service web-service each (hr's in default, payroll's in payroll), a test
# pod, the database mysql in payroll, the app webapp in default that looks for it as "mysql", and a
# pod whose DNS policy does not use the cluster's DNS.
set -eu
kubectl apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Namespace
metadata: { name: payroll }
---
apiVersion: v1
kind: ConfigMap
metadata: { name: pages, namespace: default }
data:
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
---
apiVersion: v1
kind: Pod
metadata: { name: dns-broken, namespace: default }
spec:
  dnsPolicy: Default
  containers:
  - { name: dns-broken, image: praxis/tools, command: [sleep, infinity] }
YAML
# Ready before the learner starts, within setup's 60 s.
kubectl wait --for=condition=Available deployment --all -n payroll --timeout=25s >/dev/null 2>&1 || true
kubectl wait --for=condition=Available deployment --all -n default --timeout=25s >/dev/null 2>&1 || true
