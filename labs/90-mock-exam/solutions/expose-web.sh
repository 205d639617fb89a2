kubectl expose deployment web --name web-svc --port 8080 --target-port 80
kubectl rollout status deployment web --timeout=90s
