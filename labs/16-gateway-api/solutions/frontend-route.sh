kubectl -n gateway-space patch gateway web-gateway --type json -p '[{"op":"add","path":"/spec/listeners/0/allowedRoutes","value":{"namespaces":{"from":"All"}}}]'
kubectl apply -f - <<'YAML'
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: frontend-route
  namespace: app-space
spec:
  parentRefs:
  - name: web-gateway
    namespace: gateway-space
  rules:
  - matches:
    - path: { type: PathPrefix, value: / }
    backendRefs:
    - name: frontend-svc
      port: 80
YAML
