# api-np exists with node port 30080, but its selector matches nothing.
kubectl create service nodeport api-np --tcp=80:80 --node-port=30080
