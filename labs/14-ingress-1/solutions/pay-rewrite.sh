kubectl apply -f - <<'YAML'
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata:
  name: strip-pay
  namespace: critical-space
spec:
  stripPrefix:
    prefixes: [/pay]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: ingress-pay
  namespace: critical-space
  annotations:
    traefik.ingress.kubernetes.io/router.middlewares: critical-space-strip-pay@kubernetescrd
spec:
  ingressClassName: traefik
  rules:
  - http:
      paths:
      - path: /pay
        pathType: Prefix
        backend:
          service:
            name: pay-service
            port:
              number: 8282
YAML
