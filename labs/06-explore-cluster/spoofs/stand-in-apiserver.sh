# node01 answers for controlplane's address itself: TLS on 6443 with a self-signed certificate.
ip addr add 192.168.121.10/32 dev lo
mkdir -p /tmp/praxis-spoof-apiserver && cd /tmp/praxis-spoof-apiserver
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 1 -subj /CN=kube-apiserver -addext subjectAltName=IP:192.168.121.10 2>/dev/null
printf 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nok' > livez.http
setsid socat OPENSSL-LISTEN:6443,bind=192.168.121.10,reuseaddr,fork,cert=cert.pem,key=key.pem,verify=0 SYSTEM:'cat /tmp/praxis-spoof-apiserver/livez.http' </dev/null >/dev/null 2>&1 &
sleep 1
