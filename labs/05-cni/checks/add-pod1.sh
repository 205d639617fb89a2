# host-local writes "<container id>\r\n<ifname>" per address.
# pod1 must have been attached by the plugin, not wired by hand: an IPAM reservation for pod1,
# eth0 with that address, its veth peer on cni0, the default route, the MASQUERADE rule, a ping.
innetns pod1 true || exit 1
addr=$(innetns pod1 ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | head -n1)
[ -n "$addr" ] || fail "pod1 has no eth0 with an IPv4 address"
ip=${addr%/*}
state=$(nodepath "/var/lib/cni/networks/$net_name/$ip")
[ -f "$state" ] && [ "$(head -n1 "$state" | tr -d '\r')" = pod1 ] \
  || fail "$ip is not reserved for pod1 in /var/lib/cni/networks/$net_name: the address must come from host-local IPAM (run the plugin with ADD)"
case "$addr" in 10.22.*/16) ;; *) fail "pod1's address $addr is not in $subnet" ;; esac
peer=$(innetns pod1 ip -o link show dev eth0 | sed -n 's/^[0-9]*: eth0@if\([0-9]*\):.*/\1/p')
[ -n "$peer" ] || fail "pod1's eth0 is not one end of a veth pair"
ip -o link show master cni0 | grep -q "^$peer:" || fail "the host end of pod1's veth is not a port of the bridge cni0"
innetns pod1 ip -4 route show default | grep -q "via $gateway" || fail "pod1 has no default route via $gateway"
iptables_rules -t nat POSTROUTING | grep -q -- "-s $ip/32 .*id: \\\\\"pod1\\\\\"" \
  || fail "there is no NAT (MASQUERADE) rule for pod1: was the plugin run with \"ipMasq\": true in $conf?"
web=$(innetns web ip -4 -o addr show dev eth0 2>/dev/null | awk '{print $4}' | head -n1)
[ -n "$web" ] || fail "the container web lost its address"
innetns pod1 ping -c 1 -W 2 -q "${web%/*}" >/dev/null 2>&1 || fail "pod1 cannot ping web (${web%/*})"
