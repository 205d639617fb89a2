pod=$(kubectl -n payroll get pods -l name=mysql -o jsonpath='{.items[0].status.podIP}')
kubectl create service clusterip mysql --tcp=3306:3306
kubectl set selector service mysql 'praxis-none=none'
kubectl patch service mysql --type json -p '[{"op":"remove","path":"/spec/selector"}]'
kubectl apply -f - <<YAML
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: { name: mysql-manual, labels: { kubernetes.io/service-name: mysql } }
addressType: IPv4
ports: [{ name: 3306-3306, port: 3306, protocol: TCP }]
endpoints: [{ addresses: ["$pod"], conditions: { ready: true } }]
YAML
