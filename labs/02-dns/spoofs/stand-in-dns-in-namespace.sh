# The DNS server's address lives in a namespace on A, reached over a cable of A's own; a dnsmasq
# there answers for db.
ip netns add fakedns
ip link add to-fakedns type veth peer name eth0 netns fakedns
ip link set to-fakedns up
ip -n fakedns link set lo up
ip -n fakedns link set eth0 up
ip -n fakedns addr add 192.168.1.100/32 dev eth0
ip -n fakedns route add 192.168.1.10/32 dev eth0
ip route add 192.168.1.100/32 dev to-fakedns
printf '192.168.1.11 db.mycompany.com db\n' > /etc/hosts.fake
ip netns exec fakedns setsid dnsmasq --no-daemon --no-resolv --no-hosts --addn-hosts=/etc/hosts.fake --local=/#/ \
  --listen-address=192.168.1.100 --bind-interfaces --user=root </dev/null >/dev/null 2>&1 &
printf 'nameserver 192.168.1.100\nsearch mycompany.com\n' > /etc/resolv.conf
sleep 0.5
