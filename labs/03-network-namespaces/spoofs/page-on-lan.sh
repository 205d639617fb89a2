# On the LAN host: the host's address on its own loopback, and a web server with a copy of blue's page.
ip addr add 192.168.1.2/32 dev lo
mkdir -p /srv/fake && echo "Hello from the blue namespace (192.168.15.2)" > /srv/fake/index.html
busybox httpd -p 192.168.1.2:80 -h /srv/fake </dev/null >/dev/null 2>&1
