ip=$(kubectl -n payroll get svc mysql -o jsonpath='{.spec.clusterIP}')
kubectl patch deployment webapp -p "{\"spec\":{\"template\":{\"spec\":{\"hostAliases\":[{\"ip\":\"$ip\",\"hostnames\":[\"mysql\"]}]}}}}"
kubectl rollout status deployment webapp --timeout=120s
