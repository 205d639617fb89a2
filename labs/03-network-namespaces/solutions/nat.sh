# The host's address on the bridge is blue's gateway (the host-on-bridge task).
ip addr replace 192.168.15.5/24 dev v-net-0
ip netns exec blue ip route replace 192.168.1.0/24 via 192.168.15.5
iptables -t nat -C POSTROUTING -s 192.168.15.0/24 -j MASQUERADE 2>/dev/null \
  || iptables -t nat -A POSTROUTING -s 192.168.15.0/24 -j MASQUERADE
ip netns exec blue ping -c 2 -i 0.2 -W 2 192.168.1.3
