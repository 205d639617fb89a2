# A stand-in pod that serves what web serves (naming a real web pod), and web-svc pointing at it.
real=$(kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}')
kubectl run web-standin --image=nginx --labels=app=web-standin --port=80 --overrides='{"spec":{"containers":[{"name":"web-standin","image":"nginx","command":["sh","-c","printf \"server { listen 80; default_type text/plain; location / { return 200 \\\"web '"$real"' /\\\\n\\\"; } }\" > /etc/nginx/conf.d/default.conf; exec nginx -g \"daemon off;\""]}]}}'
kubectl create service clusterip web-svc --tcp=8080:80
kubectl set selector service web-svc app=web-standin
kubectl wait --for=condition=Ready pod/web-standin --timeout=60s
