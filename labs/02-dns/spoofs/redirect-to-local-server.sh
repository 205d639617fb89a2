# A names the DNS server in resolv.conf, but its own firewall sends every lookup to a dnsmasq on
# A's loopback.
printf '192.168.1.11 db.mycompany.com db\n192.168.1.31 nfs.mycompany.com nfs\n' > /etc/hosts.fake
setsid dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts=/etc/hosts.fake --local=/#/ \
  --listen-address=127.0.0.1 --port=5353 --bind-interfaces --user=root </dev/null >/dev/null 2>&1 &
iptables -t nat -A OUTPUT -p udp --dport 53 -j DNAT --to-destination 127.0.0.1:5353
sysctl -w net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.eth0.route_localnet=1
printf 'nameserver 192.168.1.100\nsearch mycompany.com\n' > /etc/resolv.conf
sleep 0.5
