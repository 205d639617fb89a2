# On the host: blue's route, a MASQUERADE rule that can never match (no interface "nothere"), and
# proxy ARP on eth0, so the LAN host's on-link route to 192.168.15.0/24 brings replies back without NAT.
ip netns exec blue ip route replace 192.168.1.0/24 via 192.168.15.5
iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -o nothere -j MASQUERADE
sysctl -w net.ipv4.conf.eth0.proxy_arp=1
