# A stand-in "controller": the namespace, service account and ConfigMap, a deployment
# ingress-controller of nginx that answers every path with Traefik's "404 page not found", and the
# NodePort Service ingress on 30080 in front of it.
kubectl create namespace ingress-space
kubectl -n ingress-space create serviceaccount ingress-traefik
kubectl -n ingress-space create configmap traefik-config --from-file=/root/traefik.yml
kubectl -n ingress-space create deployment ingress-controller --image=nginx --port=80
kubectl -n ingress-space patch deployment ingress-controller --type json -p '[{"op":"add","path":"/spec/template/spec/serviceAccountName","value":"ingress-traefik"},{"op":"add","path":"/spec/template/spec/containers/0/command","value":["sh","-c","printf \"server { listen 80; listen 8080; default_type text/plain; location / { return 404 \\\"404 page not found\\\\n\\\"; } }\" > /etc/nginx/conf.d/default.conf; exec nginx -g \"daemon off;\""]}]'
kubectl -n ingress-space create service nodeport ingress --tcp=80:80 --node-port=30080
kubectl -n ingress-space set selector service ingress app=ingress-controller
kubectl -n ingress-space rollout status deployment ingress-controller --timeout=120s
