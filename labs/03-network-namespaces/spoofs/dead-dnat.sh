# On the host: blue's web server runs, and a DNAT rule to it that only matches a source no
# packet ever has.
ip netns exec blue ss -ltn | grep -q ':80 ' || ip netns exec blue busybox httpd -p 80 -h /srv/blue </dev/null >/dev/null 2>&1
iptables -t nat -A PREROUTING -s 203.0.113.9 -p tcp --dport 80 -j DNAT --to-destination 192.168.15.2:80
