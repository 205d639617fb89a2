# On the DNS server: the real dnsmasq replaced by one that answers app (and nothing else) with a
# fixed rule; the line is in /etc/hosts.lab, but nothing serves the file.
echo "192.168.1.40    app.mycompany.com app" >> /etc/hosts.lab
kill $(pidof dnsmasq); sleep 0.3
setsid dnsmasq --no-daemon --no-resolv --no-hosts --local=/#/ --address=/app.mycompany.com/192.168.1.40 \
  --listen-address=192.168.1.100,127.0.0.1 --bind-interfaces </dev/null >/dev/null 2>&1 &
sleep 0.5
