# On the LAN host: requests to the host's port 80 redirected to a local server with a copy of blue's page.
mkdir -p /srv/fake && echo "Hello from the blue namespace (192.168.15.2)" > /srv/fake/index.html
busybox httpd -p 127.0.0.1:8080 -h /srv/fake </dev/null >/dev/null 2>&1
sysctl -w net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1
iptables -t nat -A OUTPUT -p tcp -d 192.168.1.2 --dport 80 -j DNAT --to-destination 127.0.0.1:8080
