kubectl create namespace ingress-space
kubectl -n ingress-space create serviceaccount ingress-traefik
kubectl -n ingress-space create configmap traefik-config --from-file=/root/traefik.yml
kubectl apply -f /root/ingress-controller.yaml
kubectl -n ingress-space create service nodeport ingress --tcp=80:80 --node-port=30080
kubectl -n ingress-space set selector service ingress app=ingress-controller
kubectl -n ingress-space rollout status deployment ingress-controller --timeout=120s
