# On node01: controlplane's address on its own loopback, and a listener on 6443.
ip addr add 192.168.121.10/32 dev lo
cp /usr/bin/socat /usr/local/bin/fake-apiserver
setsid fake-apiserver TCP-LISTEN:6443,bind=192.168.121.10,fork,reuseaddr OPEN:/dev/null,rdonly </dev/null >/dev/null 2>&1 &
sleep 0.3
