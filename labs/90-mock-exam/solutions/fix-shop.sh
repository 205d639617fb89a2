kubectl set selector service shop 'app=shop,tier=frontend'
kubectl rollout status deployment shop --timeout=90s
