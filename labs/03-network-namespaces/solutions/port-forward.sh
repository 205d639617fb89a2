# The web server in blue (busybox httpd puts itself in the background), then the port forward.
ip netns exec blue ss -ltn | grep -q ':80 ' \
  || ip netns exec blue busybox httpd -p 80 -h /srv/blue </dev/null >/dev/null 2>&1
iptables -t nat -C PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80 2>/dev/null \
  || iptables -t nat -A PREROUTING -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80
iptables -t nat -S PREROUTING
