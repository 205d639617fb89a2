# On the client: docker-host's address on its own loopback and a server with a copy of web's page on 8000.
ip addr add 192.168.1.10/32 dev lo
mkdir -p /srv/fake && echo "Hello from container web (172.17.0.2)" > /srv/fake/index.html
busybox httpd -p 192.168.1.10:8000 -h /srv/fake </dev/null >/dev/null 2>&1
