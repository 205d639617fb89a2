# On docker-host: Docker's rule turned around (-o docker0: it never matches traffic leaving for
# the LAN) and proxy ARP on eth0, so the client's on-link route to 172.17.0.0/16 brings replies back.
iptables -t nat -A POSTROUTING -s 172.17.0.0/16 -o docker0 -j MASQUERADE
sysctl -w net.ipv4.conf.eth0.proxy_arp=1
