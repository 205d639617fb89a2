# On the client: requests to docker-host:8000 redirected to a local copy of web's page.
mkdir -p /srv/fake && echo "Hello from container web (172.17.0.2)" > /srv/fake/index.html
busybox httpd -p 127.0.0.1:8080 -h /srv/fake </dev/null >/dev/null 2>&1
sysctl -w net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1
iptables -t nat -A OUTPUT -p tcp -d 192.168.1.10 --dport 8000 -j DNAT --to-destination 127.0.0.1:8080
