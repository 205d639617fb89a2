# A answers its own lookups: the DNS server's address on A's loopback, a dnsmasq of A's own behind
# it that knows db, nfs (the new address) and nothing about the real server.
ip addr add 192.168.1.100/32 dev lo
cat > /etc/hosts.fake <<HOSTS
192.168.1.11 db.mycompany.com db
192.168.1.31 nfs.mycompany.com nfs
192.168.1.20 web.mycompany.com
HOSTS
setsid dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts=/etc/hosts.fake --local=/#/ \
  --listen-address=192.168.1.100 --bind-interfaces --user=root </dev/null >/dev/null 2>&1 &
grep -vE '^[[:space:]]*[0-9.]+[[:space:]]+nfs([[:space:]]|$)' /etc/hosts > /tmp/hosts.new || true
cat /tmp/hosts.new > /etc/hosts
printf 'nameserver 192.168.1.100\nsearch mycompany.com\n' > /etc/resolv.conf
sleep 0.5
