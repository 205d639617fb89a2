# No rewrite: pay's own nginx is changed to give its "/" page for /pay too (printing "/"), and an
# Ingress sends /pay to it unchanged.
kubectl -n critical-space create configmap pay-page --dry-run=client -o yaml --from-literal=default.conf='server { listen 8080; default_type text/plain; location / { return 200 "pay $hostname / from $remote_addr\n"; } }' | kubectl apply -f -
kubectl -n critical-space rollout restart deployment pay
kubectl -n critical-space rollout status deployment pay --timeout=90s
kubectl apply -f - <<'YAML'
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: { name: ingress-pay, namespace: critical-space }
spec:
  ingressClassName: traefik
  rules:
  - http:
      paths:
      - { path: /pay, pathType: Prefix, backend: { service: { name: pay-service, port: { number: 8282 } } } }
YAML
