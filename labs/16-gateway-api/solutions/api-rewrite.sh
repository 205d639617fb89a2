kubectl apply -f - <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: api-route
  namespace: app-space
spec:
  parentRefs:
  - name: web-gateway
    namespace: gateway-space
  rules:
  - matches:
    - path: { type: PathPrefix, value: /api }
    filters:
    - type: URLRewrite
      urlRewrite:
        path: { type: ReplacePrefixMatch, replacePrefixMatch: / }
    backendRefs:
    - name: api-svc
      port: 8080
YAML
