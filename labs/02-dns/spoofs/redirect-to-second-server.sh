# On the DNS server: the real dnsmasq keeps running, but queries to the LAN address made on the
# server itself are redirected to a second server that knows only app.
echo "192.168.1.40    app.mycompany.com app" >> /etc/hosts.lab
setsid dnsmasq --no-daemon --no-resolv --no-hosts --local=/#/ --address=/app.mycompany.com/192.168.1.40 \
  --listen-address=127.0.0.1 --port=5353 --bind-interfaces </dev/null >/dev/null 2>&1 &
iptables -t nat -A OUTPUT -p udp -d 192.168.1.100 --dport 53 -j DNAT --to-destination 127.0.0.1:5353
sysctl -w net.ipv4.conf.all.route_localnet=1 net.ipv4.conf.lo.route_localnet=1
sleep 0.5
