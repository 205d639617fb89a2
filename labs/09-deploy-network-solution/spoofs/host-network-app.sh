kubectl delete pod app --grace-period=0 --force
kubectl apply -f - <<'YAML'
apiVersion: v1
kind: Pod
metadata: { name: app, labels: { app: app } }
spec:
  nodeName: node01
  hostNetwork: true
  containers:
  - { name: nginx, image: nginx, ports: [{ containerPort: 80 }] }
YAML
kubectl wait --for=condition=Ready pod/app --timeout=60s
