# No rewrite: api's own nginx is changed to give its "/" page for /api too (printing "/"), and an
# HTTPRoute sends /api to it unchanged.
kubectl -n app-space create configmap api-page --dry-run=client -o yaml --from-literal=default.conf='server { listen 8080; default_type text/plain; location / { return 200 "api $hostname / from $remote_addr\n"; } }' | kubectl apply -f -
kubectl -n app-space rollout restart deployment api
kubectl -n app-space rollout status deployment api --timeout=90s
kubectl apply -f - <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: api-route, namespace: app-space }
spec:
  parentRefs: [{ name: web-gateway, namespace: gateway-space }]
  rules:
  - matches: [{ path: { type: PathPrefix, value: /api } }]
    backendRefs: [{ name: api-svc, port: 8080 }]
YAML
