iptables -D INPUT -s 192.168.121.11/32 -p tcp --dport 6443 -j DROP
kubectl wait --for=condition=Ready node/node01 --timeout=120s
