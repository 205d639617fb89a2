# pod1 must have been attached by the plugin, not wired by hand: host-local's reservation of its
# address for pod1, eth0 whose far end (the kernel's record of the peer) is a port of cni0 on
# node01, the default route through the gateway, the plugin's own NAT chain for pod1 (named after
# the network and the container id) masquerading it, pod1's address in pod1 only, and pod1's ping
# captured arriving in web.
innetns pod1 true || exit 1
state a innetns pod1 ip -4 -o addr show dev eth0
addr=$(awk 'NR == 1 { print $4 }' <<<"$a")
[ -n "$addr" ] || fail "pod1 has no eth0 with an IPv4 address"
ip=${addr%/*}
state_file=$(nodepath "/var/lib/cni/networks/$net_name/$ip")
[ -f "$state_file" ] && [ "$(head -n1 "$state_file" | tr -d '\r')" = pod1 ] \
  || fail "$ip is not reserved for pod1 in /var/lib/cni/networks/$net_name: the address must come from host-local IPAM (run the plugin with ADD)"
case "$addr" in 10.22.*/16) ;; *) fail "pod1's address $addr is not in $subnet" ;; esac
peer=$(veth_peer -n pod1 eth0) || fail "pod1's eth0 is not one end of a veth pair"
case "$peer" in
  "@node "*) [ "$(link_master "${peer#@node }")" = cni0 ] || fail "the host end of pod1's veth (${peer#@node }) is not a port of the bridge cni0" ;;
  *) fail "the far end of pod1's eth0 is not on node01: it is ${peer#* } in the namespace ${peer%% *}" ;;
esac
state r innetns pod1 ip -4 route get 203.0.113.7
has " via $gateway dev eth0 " "$r" || fail "pod1 has no default route via $gateway"
held_only_by pod1 "$ip"
chain=$(cni_chain pod1)
state rules iptables_rules -t nat
has "^-A POSTROUTING -s $ip/32 .*-j $chain\$" "$rules" && has "^-A $chain ! -d 224\.0\.0\.0/4 .*-j MASQUERADE" "$rules" \
  || fail "there is no NAT (MASQUERADE) rule the plugin made for pod1: was the plugin run with \"ipMasq\": true in $conf?"
state w innetns web ip -4 -o addr show dev eth0
web=$(awk 'NR == 1 { print $4 }' <<<"$w")
[ -n "$web" ] || fail "the container web lost its address"
pcap_start toweb -n web -i eth0 "$(probe_icmp_filter)"
probe_ping -n pod1 "${web%/*}" || { pcap_stop toweb >/dev/null; fail "pod1 cannot ping web (${web%/*})"; }
seen=$(pcap_stop toweb)
[ -n "$seen" ] || fail "pod1's pings to ${web%/*} are answered, but not by web"
