kubectl create service nodeport api-np --tcp=80:80 --node-port=30080
kubectl set selector service api-np app=api
kubectl rollout status deployment api --timeout=90s
